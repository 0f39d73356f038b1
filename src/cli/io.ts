/** Where a command writes: injectable so tests run the CLI in-process. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}
