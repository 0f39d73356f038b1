// Command pulumi-language-nodejs is mailpolicy's small stand-in for Pulumi's Node.js language host.
//
// Why it exists: the Go module proxy reachable from this project's machines serves
// github.com/pulumi/pulumi/pkg/v3 and sdk/v3 (v3.259.0), but refuses every version of the
// upstream host module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3, so
// the upstream binary cannot be built offline. This program implements the LanguageRuntime gRPC
// service (from sdk/v3's protocol package) on top of the Node.js side that ships in the npm
// package @pulumi/pulumi:
//
//   - Run:       node [nodeargs] <@pulumi/pulumi/cmd/run> --monitor=… --engine=… … <entry point> [args]
//   - RunPlugin: analyzers (policy packs) through <@pulumi/pulumi/cmd/run-policy-pack>,
//     resource plugins (PulumiPlugin.yaml) through <@pulumi/pulumi/cmd/run-plugin>
//   - GetRequiredPackages/GetRequiredPlugins: npm packages whose package.json says
//     {"pulumi": {"resource": true}}
//   - InstallDependencies: `npm install` (or the project's packagemanager option)
//   - About, GetProgramDependencies, GetPluginInfo, Handshake, Cancel
//
// Code generation (convert, gen-sdk, pack, link, new-project templating) is not implemented.
// Runtime options read from Pulumi.yaml: typescript (default true), tsconfig, nodeargs,
// packagemanager. The `node` used is the first one on PATH.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// version is stamped at build time (-ldflags "-X main.version=…"); it follows the CLI it is built with.
var version = "0.0.0-dev"

// bailExitCode is the exit code @pulumi/pulumi/cmd/run uses after it has already reported the error to the
// engine; the host then answers Bail so the engine prints nothing more.
const bailExitCode = 32

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu         sync.Mutex
	engineAddr string
	tracing    string
}

func main() {
	engineAddr, tracing, showVersion, err := parseArgs(os.Args[1:])
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(2)
	}
	if showVersion {
		fmt.Println(version)
		return
	}

	h := &host{engineAddr: engineAddr, tracing: tracing}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cancelServer := make(chan bool)
	go func() {
		<-ctx.Done()
		close(cancelServer)
	}()
	// Exit by ourselves if the engine goes away without telling us.
	if engineAddr != "" {
		if err := rpcutil.Healthcheck(ctx, engineAddr, 5*time.Minute, cancel); err != nil {
			fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start health check: %v\n", err)
			os.Exit(1)
		}
	}

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancelServer,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start the language host: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

// parseArgs accepts what the engine passes to plugins: optional logging/tracing flags
// (--logtostderr, -v=N, --tracing URL, …) followed by the engine address.
func parseArgs(args []string) (engineAddr, tracing string, showVersion bool, err error) {
	var positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			positional = append(positional, a)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch name {
		case "version":
			showVersion = true
		case "tracing":
			if !hasValue {
				if i+1 >= len(args) {
					return "", "", false, errors.New("--tracing needs a value")
				}
				i++
				value = args[i]
			}
			tracing = value
		case "root", "binary", "typescript", "tsconfig", "nodeargs", "packagemanager":
			// Flags older engines passed; the values now arrive in ProgramInfo.Options.
			if !hasValue && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") && name != "typescript" {
				i++
			}
		default:
			// --logtostderr, -v=N, --logflow, and anything newer: ignored.
		}
	}
	if len(positional) > 1 {
		return "", "", false, fmt.Errorf("expected at most one positional argument (the engine address), got %q", positional)
	}
	if len(positional) == 1 {
		engineAddr = positional[0]
	}
	return engineAddr, tracing, showVersion, nil
}

// ---- helpers ----

type runtimeOptions struct {
	typescript     bool
	tsconfig       string
	nodeargs       []string
	packagemanager string
}

func optionsOf(info *pulumirpc.ProgramInfo) runtimeOptions {
	o := runtimeOptions{typescript: true}
	if info == nil || info.GetOptions() == nil {
		return o
	}
	m := info.GetOptions().AsMap()
	if v, ok := m["typescript"]; ok {
		switch t := v.(type) {
		case bool:
			o.typescript = t
		case string:
			if b, err := strconv.ParseBool(t); err == nil {
				o.typescript = b
			}
		}
	}
	if v, ok := m["tsconfig"].(string); ok {
		o.tsconfig = v
	}
	if v, ok := m["nodeargs"].(string); ok {
		o.nodeargs = strings.Fields(v)
	}
	if v, ok := m["packagemanager"].(string); ok {
		o.packagemanager = v
	}
	return o
}

// programDir returns the absolute directory that holds the program (or plugin).
func programDir(info *pulumirpc.ProgramInfo, fallback string) (string, error) {
	dir := fallback
	if info != nil && info.GetProgramDirectory() != "" {
		dir = info.GetProgramDirectory()
	}
	if dir == "" {
		var err error
		if dir, err = os.Getwd(); err != nil {
			return "", err
		}
	}
	return filepath.Abs(dir)
}

// findSDKFile finds node_modules/@pulumi/pulumi/<rel> in dir or one of its parents, the way Node resolves
// a bare module name from dir.
func findSDKFile(dir, rel string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		p := filepath.Join(d, "node_modules", "@pulumi", "pulumi", filepath.FromSlash(rel))
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		if parent := filepath.Dir(d); parent == d {
			break
		}
	}
	return "", fmt.Errorf("could not find @pulumi/pulumi/%s from %s: it looks like the Pulumi SDK "+
		"has not been installed; have you run npm install?", rel, dir)
}

func findNode() (string, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return "", errors.New("could not find `node` on PATH: install Node.js (>= 22 for @pulumi/pulumi 3.249+)")
	}
	return node, nil
}

// lockedWriter serialises writes from the stdout and stderr copiers onto one gRPC stream.
type lockedWriter struct {
	mu   *sync.Mutex
	send func([]byte) error
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	// gRPC may keep the slice after Send returns; hand it a copy.
	if err := w.send(append([]byte(nil), p...)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// commandContext runs cmd so that cancelling ctx interrupts it first and kills it a little later.
func commandContext(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

func exitCodeOf(err error) (int, bool) {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return 0, false
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal()), true
	}
	return ee.ExitCode(), true
}

// ---- LanguageRuntime ----

func (h *host) Handshake(_ context.Context, req *pulumirpc.LanguageHandshakeRequest) (
	*pulumirpc.LanguageHandshakeResponse, error,
) {
	if req.GetEngineAddress() != "" {
		h.mu.Lock()
		h.engineAddr = req.GetEngineAddress()
		h.mu.Unlock()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	dir, err := programDir(info, req.GetPwd())
	if err != nil {
		return nil, err
	}
	opts := optionsOf(info)
	node, err := findNode()
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	runScript, err := findSDKFile(dir, "cmd/run/index.js")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	entry := "."
	if info != nil && info.GetEntryPoint() != "" {
		entry = info.GetEntryPoint()
	} else if req.GetProgram() != "" {
		entry = req.GetProgram()
	}

	h.mu.Lock()
	engineAddr, tracing := h.engineAddr, h.tracing
	h.mu.Unlock()

	args := append([]string{}, opts.nodeargs...)
	args = append(args, runScript)
	if req.GetOrganization() != "" {
		args = append(args, "--organization="+req.GetOrganization())
	}
	args = append(args,
		"--monitor="+req.GetMonitorAddress(),
		"--project="+req.GetProject(),
		"--stack="+req.GetStack(),
		"--pwd="+dir,
	)
	if engineAddr != "" {
		args = append(args, "--engine="+engineAddr)
	}
	if info != nil && info.GetRootDirectory() != "" {
		args = append(args, "--root-directory="+info.GetRootDirectory())
	}
	if req.GetParallel() > 0 {
		args = append(args, "--parallel="+strconv.Itoa(int(req.GetParallel())))
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if tracing != "" {
		args = append(args, "--tracing="+tracing)
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	// A stack without config has a nil map, which marshals as `null`; the SDK's parseConfig does
	// Object.keys(PULUMI_CONFIG), so every Config.get would throw. Upstream's host sends {}.
	cfg := req.GetConfig()
	if cfg == nil {
		cfg = map[string]string{}
	}
	config, err := json.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("serialising config: %w", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secrets, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("serialising secret config keys: %w", err)
	}

	cmd := commandContext(ctx, node, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secrets),
		"PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(opts.typescript),
	)
	if opts.tsconfig != "" {
		cmd.Env = append(cmd.Env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}
	// The engine shows what the host prints as the program's output.
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr

	err = cmd.Run()
	if err == nil {
		return &pulumirpc.RunResponse{}, nil
	}
	if code, ok := exitCodeOf(err); ok {
		if code == bailExitCode {
			return &pulumirpc.RunResponse{Bail: true}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code)}, nil
	}
	return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err)}, nil
}

func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, srv pulumirpc.LanguageRuntime_RunPluginServer) error {
	info := req.GetInfo()
	dir, err := programDir(info, req.GetPwd())
	if err != nil {
		return err
	}
	opts := optionsOf(info)
	node, err := findNode()
	if err != nil {
		return err
	}

	args := append([]string{}, opts.nodeargs...)
	switch req.GetKind() {
	case "analyzer":
		// node run-policy-pack <engine address> <policy pack directory>
		script, err := findSDKFile(dir, "cmd/run-policy-pack/index.js")
		if err != nil {
			return err
		}
		args = append(args, script)
		args = append(args, req.GetArgs()...)
		args = append(args, dir)
	default:
		// node run-plugin <plugin directory> [args]
		script, err := findSDKFile(dir, "cmd/run-plugin/index.js")
		if err != nil {
			return err
		}
		args = append(args, script, dir)
		args = append(args, req.GetArgs()...)
	}

	var mu sync.Mutex
	stdout := lockedWriter{mu: &mu, send: func(b []byte) error {
		return srv.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}})
	}}
	stderr := lockedWriter{mu: &mu, send: func(b []byte) error {
		return srv.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}})
	}}

	cmd := commandContext(srv.Context(), node, args...)
	cmd.Dir = dir
	if len(req.GetEnv()) > 0 {
		cmd.Env = req.GetEnv()
	}
	cmd.Stdout = stdout
	cmd.Stderr = stderr

	err = cmd.Run()
	code := 0
	if err != nil {
		var ok bool
		if code, ok = exitCodeOf(err); !ok {
			return fmt.Errorf("running plugin in %s: %w", dir, err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	return srv.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(code)}})
}

func (h *host) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	srv pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	info := req.GetInfo()
	dir, err := programDir(info, req.GetDirectory())
	if err != nil {
		return err
	}
	pm := optionsOf(info).packagemanager
	switch pm {
	case "", "npm":
		pm = "npm"
	case "yarn", "pnpm", "bun":
	default:
		return fmt.Errorf("unsupported packagemanager %q (npm, yarn, pnpm or bun)", pm)
	}
	bin, err := exec.LookPath(pm)
	if err != nil {
		return fmt.Errorf("could not find %s on PATH", pm)
	}

	var mu sync.Mutex
	stdout := lockedWriter{mu: &mu, send: func(b []byte) error {
		return srv.Send(&pulumirpc.InstallDependenciesResponse{Stdout: b})
	}}
	stderr := lockedWriter{mu: &mu, send: func(b []byte) error {
		return srv.Send(&pulumirpc.InstallDependenciesResponse{Stderr: b})
	}}
	fmt.Fprintf(stdout, "Installing dependencies with %s install in %s\n", pm, dir)
	cmd := commandContext(srv.Context(), bin, "install")
	cmd.Dir = dir
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s install failed in %s: %w", pm, dir, err)
	}
	return nil
}

// packageJSON is the part of a package.json this host reads.
type packageJSON struct {
	Name            string            `json:"name"`
	Version         string            `json:"version"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
	Pulumi          *struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

func readPackageJSON(path string) (*packageJSON, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p packageJSON
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &p, nil
}

// nodeModulesDir returns the nearest node_modules directory at or above dir, or "".
func nodeModulesDir(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		p := filepath.Join(d, "node_modules")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// resourcePackages lists the npm packages under the nearest node_modules that declare a Pulumi resource plugin.
func resourcePackages(dir string) ([]*pulumirpc.PackageDependency, error) {
	nm := nodeModulesDir(dir)
	if nm == "" {
		return nil, nil
	}
	var pkgDirs []string
	entries, err := os.ReadDir(nm)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		if strings.HasPrefix(name, "@") {
			scoped, err := os.ReadDir(filepath.Join(nm, name))
			if err != nil {
				continue
			}
			for _, s := range scoped {
				pkgDirs = append(pkgDirs, filepath.Join(nm, name, s.Name()))
			}
			continue
		}
		pkgDirs = append(pkgDirs, filepath.Join(nm, name))
	}

	seen := map[string]bool{}
	var out []*pulumirpc.PackageDependency
	for _, d := range pkgDirs {
		p, err := readPackageJSON(filepath.Join(d, "package.json"))
		if err != nil || p.Pulumi == nil || !p.Pulumi.Resource {
			continue
		}
		name := p.Pulumi.Name
		if name == "" {
			name = strings.TrimPrefix(p.Name, "@pulumi/")
		}
		v := p.Pulumi.Version
		if v == "" {
			v = p.Version
		}
		if v != "" && !strings.HasPrefix(v, "v") {
			v = "v" + v
		}
		key := name + "@" + v
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, &pulumirpc.PackageDependency{
			Name: name, Kind: "resource", Version: v, Server: p.Pulumi.Server,
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (h *host) GetRequiredPackages(_ context.Context, req *pulumirpc.GetRequiredPackagesRequest) (
	*pulumirpc.GetRequiredPackagesResponse, error,
) {
	dir, err := programDir(req.GetInfo(), "")
	if err != nil {
		return nil, err
	}
	pkgs, err := resourcePackages(dir)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: pkgs}, nil
}

func (h *host) GetRequiredPlugins(_ context.Context, req *pulumirpc.GetRequiredPluginsRequest) (
	*pulumirpc.GetRequiredPluginsResponse, error,
) {
	dir, err := programDir(req.GetInfo(), req.GetPwd())
	if err != nil {
		return nil, err
	}
	pkgs, err := resourcePackages(dir)
	if err != nil {
		return nil, err
	}
	plugins := make([]*pulumirpc.PluginDependency, 0, len(pkgs))
	for _, p := range pkgs {
		plugins = append(plugins, &pulumirpc.PluginDependency{
			Name: p.Name, Kind: p.Kind, Version: p.Version, Server: p.Server,
		})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

func (h *host) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := findNode()
	if err != nil {
		return nil, err
	}
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("node --version: %w", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
		Metadata:   map[string]string{"languageHost": "mailpolicy pulumi-language-nodejs " + version},
	}, nil
}

func (h *host) GetProgramDependencies(_ context.Context, req *pulumirpc.GetProgramDependenciesRequest) (
	*pulumirpc.GetProgramDependenciesResponse, error,
) {
	dir, err := programDir(req.GetInfo(), req.GetPwd())
	if err != nil {
		return nil, err
	}
	root, err := readPackageJSON(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, fmt.Errorf("reading package.json: %w", err)
	}
	names := map[string]bool{}
	for n := range root.Dependencies {
		names[n] = true
	}
	if req.GetTransitiveDependencies() {
		for n := range root.DevDependencies {
			names[n] = true
		}
	}
	nm := nodeModulesDir(dir)
	var deps []*pulumirpc.DependencyInfo
	for n := range names {
		v := ""
		if nm != "" {
			if p, err := readPackageJSON(filepath.Join(nm, filepath.FromSlash(n), "package.json")); err == nil {
				v = p.Version
			}
		}
		if v == "" {
			v = root.Dependencies[n] + root.DevDependencies[n]
		}
		deps = append(deps, &pulumirpc.DependencyInfo{Name: n, Version: v})
	}
	sort.Slice(deps, func(i, j int) bool { return deps[i].Name < deps[j].Name })
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// lockedWriter is handed to exec.Cmd as an io.Writer.
var _ io.Writer = lockedWriter{}
