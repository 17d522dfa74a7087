/** A word or token with its position in the source (1-based line and column). */
export interface Located {
  value: string;
  line: number;
  column: number;
}

export interface Flag extends Located {
  /** `from` for `--from=build` */
  name: string;
  /** `build`; empty for a bare `--flag` */
  flagValue: string;
}

export interface Heredoc {
  /** delimiter word without quotes */
  name: string;
  /** `<<-` strips leading tabs */
  stripTabs: boolean;
  /** quoted delimiters disable expansion in the body */
  quoted: boolean;
  body: string;
  /** line of the body's first line */
  line: number;
}

export interface Instruction {
  /** upper-case keyword: FROM, RUN, ... */
  keyword: string;
  line: number;
  column: number;
  /** last source line of the instruction (continuations and heredocs included) */
  endLine: number;
  /** argument text after the flags, continuations joined, original spelling */
  text: string;
  /** position of any offset inside `text` */
  at(offset: number): { line: number; column: number };
  flags: Flag[];
  /** exec form `["a", "b"]` */
  json: boolean;
  /** JSON array elements, or shell words (quotes removed) for the shell form */
  args: Located[];
  heredocs: Heredoc[];
  /** stage index this instruction belongs to; -1 for global ARGs before the first FROM */
  stage: number;
  /** ONBUILD's inner instruction */
  inner?: Instruction;
}

export interface Stage {
  index: number;
  /** `FROM x AS name`, lower-cased as BuildKit matches it */
  name?: string;
  from: Instruction;
  /** image as written, ARGs expanded (`${BASE:-alpine}:3.19` -> `alpine:3.19`) */
  image: string;
  /** true when `image` names an earlier stage */
  fromStage: boolean;
  /**
   * Instructions other than ARG before the first FROM (a snippet, not a buildable Dockerfile):
   * they form a stage of their own whose `from` is its first instruction and whose image is ''.
   */
  implicit?: true;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** `# escape=` directive (default backslash) */
  escape: string;
  /** `# syntax=` directive */
  syntax?: string;
  instructions: Instruction[];
  stages: Stage[];
  comments: Located[];
}
