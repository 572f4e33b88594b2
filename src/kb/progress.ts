/**
 * A one-line progress bar on stderr for long jobs (embedding a large base). On a terminal it redraws in place;
 * elsewhere (CI logs, files) it prints a line at every quarter, so logs stay short.
 */
export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Progress {
  tick(done: number): void;
  done(): void;
}

const WIDTH = 24;

export function progressBar(label: string, total: number, sink: ProgressSink = process.stderr): Progress {
  const started = Date.now();
  let lastQuarter = -1;
  const line = (done: number) => {
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(share * WIDTH);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    return `${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${done}/${total} ${Math.round(share * 100)}% ${seconds}s`;
  };
  return {
    tick(done) {
      if (sink.isTTY) {
        sink.write(`\r${line(done)}`);
        return;
      }
      const quarter = Math.floor((done / Math.max(1, total)) * 4);
      if (quarter > lastQuarter && quarter < 4) {
        lastQuarter = quarter;
        sink.write(`${line(done)}\n`);
      }
    },
    done() {
      sink.write(sink.isTTY ? `\r${line(total)}\n` : `${line(total)}\n`);
    },
  };
}
