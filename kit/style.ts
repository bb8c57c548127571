// Colour only for a person at a terminal. Node's own test decides (tty.WriteStream's
// hasColors: NO_COLOR, NODE_DISABLE_COLORS, FORCE_COLOR, TERM=dumb); a pipe is no terminal,
// so never there. (util.styleText, which wraps the same test, is not in Node 20.10.)
export const colour = Boolean(process.stdout.isTTY) && process.stdout.hasColors();

const paint = (code: number) => (text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);

export const green = paint(32);
export const red = paint(31);
export const dim = paint(2);
export const bold = paint(1);
export const cyan = paint(36);
export const yellow = paint(33);
