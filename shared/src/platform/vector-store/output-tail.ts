/** Matches ANSI colour/cursor escapes; built from a char code because a literal ESC trips no-control-regex. */
const ansiEscape = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

/** Chroma's start-up banner is an ASCII-art logo: lines of only brackets and hashes say nothing in an error. */
const decorationOnly = /^[\s(#]*$/;

/**
 * Keeps the last lines a child process printed, so a start-up failure can quote them without the child's
 * (chatty) output ever reaching the parent's own stdout.
 */
export class OutputTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(
    private readonly maxLines = 30,
    private readonly maxLineLength = 400,
  ) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const parts = text.split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    // A child that never prints a newline must not grow the buffer without bound.
    if (this.partial.length > this.maxLineLength) {
      parts.push(this.partial);
      this.partial = '';
    }
    for (const part of parts) this.add(part);
  }

  /** The kept lines, oldest first, including an unterminated last line. */
  text(): string {
    const pending = this.clean(this.partial);
    return (pending ? [...this.lines, pending] : this.lines).join('\n');
  }

  private add(line: string): void {
    const cleaned = this.clean(line);
    if (!cleaned) return;
    this.lines.push(cleaned);
    if (this.lines.length > this.maxLines) this.lines.shift();
  }

  private clean(line: string): string {
    const plain = line.replace(ansiEscape, '').trimEnd();
    return decorationOnly.test(plain) ? '' : plain.slice(0, this.maxLineLength);
  }
}
