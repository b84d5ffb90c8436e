import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { ioError } from './context.js';

/**
 * A file opened for writing with backpressure: `write` resolves once the OS stream can take
 * more, so a writer never holds more than the stream's high-water mark plus one chunk.
 * A stream error is kept and rethrown (as `E_IO` naming the path) by the next call.
 */
export class FileSink {
  readonly path: string;
  private readonly stream: WriteStream;
  private failure: Error | null = null;

  private constructor(path: string, stream: WriteStream) {
    this.path = path;
    this.stream = stream;
    stream.on('error', (e) => {
      this.failure ??= ioError(path, e, 'cannot write: ');
    });
  }

  /** Creates or truncates `path`; resolves once the file is open, or rejects with `E_IO`. */
  static async open(path: string): Promise<FileSink> {
    const stream = createWriteStream(path);
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', (e) => reject(ioError(path, e, 'cannot write: ')));
    });
    return new FileSink(path, stream);
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.stream.write(chunk)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.stream.off('drain', done);
        this.stream.off('error', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('error', done);
    });
    if (this.failure) throw this.failure;
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    if (this.failure) throw this.failure;
    await new Promise<void>((resolve) => this.stream.end(resolve));
    if (this.failure) throw this.failure;
  }

  /** Closes the file without flushing and deletes it: a cut-off Arrow or Parquet file is unreadable. */
  async discard(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (this.stream.closed) resolve();
      else this.stream.destroy().once('close', () => resolve());
    });
    await rm(this.path, { force: true });
  }
}
