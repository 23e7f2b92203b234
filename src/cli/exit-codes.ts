// Exit codes shared by every command.
/** Success: no errors (check), files formatted (fmt), the evaluation ran (run). */
export const EXIT_OK = 0;
/** The plan or its data has errors (or `fmt --check` found unformatted files). */
export const EXIT_ERRORS = 1;
/** A usage mistake or an internal failure. */
export const EXIT_USAGE = 2;
