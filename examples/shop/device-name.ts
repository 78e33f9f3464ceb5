/** What {@link deviceName} gives when it recognises neither the browser nor the system. */
export const unknownDevice = 'Unknown device'

// Only this much of a User-Agent is looked at: real ones are shorter, and a huge hostile header
// costs no more than a normal one.
const maxInspected = 512

// First match wins: Edge and Opera also say "Chrome", Chrome also says "Safari", and iPhones and
// Androids also say "like Mac OS X" and "Linux".
const browsers: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\b(?:OPR|Opera)\//, 'Opera'],
  [/\b(?:Firefox|FxiOS)\//, 'Firefox'],
  [/\b(?:Chrome|CriOS|HeadlessChrome)\//, 'Chrome'],
  [/\bChromium\//, 'Chromium'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
]

const systems: [RegExp, string][] = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bWindows\b/, 'Windows'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
]

// Command-line clients, recognised by the product name they start with.
const tools: [RegExp, string][] = [
  [/^curl\//i, 'curl'],
  [/^Wget\//i, 'Wget'],
]

/**
 * A short, human name for the device a `User-Agent` header describes, for a "Your sessions" page:
 * `'Chrome on Linux'`, `'Firefox on Windows'`, `'Safari on iPhone'`, `'curl'`, or `'Unknown
 * device'` (no header, or one it does not recognise). Only names from its own short lists come
 * out, never text from the header, so the result is at most 21 characters and safe to store;
 * it reads only the first 512 characters of the header and never throws, whatever it is given.
 */
export function deviceName(userAgent: string | null | undefined): string {
  if (typeof userAgent !== 'string') return unknownDevice
  let text = userAgent.slice(0, maxInspected)
  let tool = firstMatch(tools, text)
  if (tool !== undefined) return tool
  let browser = firstMatch(browsers, text)
  let system = firstMatch(systems, text)
  if (browser !== undefined && system !== undefined) return `${browser} on ${system}`
  return browser ?? (system === undefined ? unknownDevice : `A browser on ${system}`)
}

/** The name paired with the first pattern that matches `text`. */
function firstMatch(table: readonly [RegExp, string][], text: string): string | undefined {
  return table.find(([pattern]) => pattern.test(text))?.[1]
}
