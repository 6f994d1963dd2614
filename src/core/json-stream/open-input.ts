import { createReadStream } from 'node:fs';

/**
 * The byte stream behind `parley ingest FILE|-`: standard input for `-`, else the file, read in
 * 256 KiB pieces (larger reads did not help in bench/json-stream.ts). A missing file surfaces when
 * the stream is read, as `input.read_failed`.
 */
export function openStixInput(
  file: string,
  stdin: NodeJS.ReadableStream = process.stdin,
): NodeJS.ReadableStream {
  return file === '-' ? stdin : createReadStream(file, { highWaterMark: 256 * 1024 });
}
