import { createReadStream } from 'node:fs';

/**
 * The byte stream behind `parley ingest FILE|-`: standard input for `-`, else the file, read in
 * 1 MiB pieces: fewer reads, still small beside the element limit (64 KiB to 1 MiB measured within
 * noise of each other in bench/json-stream.ts). A missing file surfaces when the stream is read, as `input.read_failed`.
 */
export function openStixInput(
  file: string,
  stdin: NodeJS.ReadableStream = process.stdin,
): NodeJS.ReadableStream {
  return file === '-' ? stdin : createReadStream(file, { highWaterMark: 1024 * 1024 });
}
