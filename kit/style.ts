// Colour only for a person at a terminal: never when piped, never with NO_COLOR set.
export const colour = Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '');

const paint = (code: number) => (text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);

export const green = paint(32);
export const red = paint(31);
export const dim = paint(2);
export const bold = paint(1);
export const cyan = paint(36);
export const yellow = paint(33);
