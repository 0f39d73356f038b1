/** Entry of the stand-in pwsh when run from a source checkout (see tools/stand-in-pwsh). */
'use strict';
require('./register-ts');
require('./stand-in/stand-in.ts').main();
