/**
 * Progress on stderr for long work. Silent unless stderr is a TTY (or forced), so logs and CI
 * output stay clean. Features receive a Progress; they never write to stderr themselves.
 */
export interface Progress {
  /** a step starts or advances: `label` and optional counts */
  update(label: string, done?: number, total?: number): void;
  /** a warning the user should see even when not a TTY */
  warn(message: string): void;
  done(): void;
}

export const silentProgress: Progress = {
  update() {},
  warn() {},
  done() {},
};

/** Collects warnings; used by tests and by JSON output that reports warnings. */
export function collectingProgress(): Progress & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, update() {}, warn: (m) => void warnings.push(m), done() {} };
}

export function stderrProgress(stream: NodeJS.WriteStream, opts: { tty?: boolean } = {}): Progress {
  const tty = opts.tty ?? Boolean(stream.isTTY);
  let last = 0;
  let shown = false;
  return {
    update(label, done, total) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const count = done === undefined ? '' : total ? ` ${done}/${total}` : ` ${done}`;
      stream.write(`\r\x1b[2K${label}${count}`);
      shown = true;
    },
    warn(message) {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
      stream.write(`warning: ${message}\n`);
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
