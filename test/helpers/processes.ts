import type { ChildProcessWithoutNullStreams } from 'node:child_process';

/** Everything the process wrote (stdout and stderr) up to the first match of `until`. */
export function outputUntil(child: ChildProcessWithoutNullStreams, until: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (until.test(text)) {
        child.off('exit', onExit);
        resolve(text);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`exited (${code}) before printing ${until}:\n${text}`));
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', onExit);
  });
}
