/** `1 file`, `2 files`; `info` does not take a plural. */
export function count(n: number, noun: string): string {
  return `${n} ${n === 1 || noun === 'info' ? noun : `${noun}s`}`;
}
