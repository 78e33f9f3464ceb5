import { describe, expect, it } from 'vitest'
import { deviceName, unknownDevice } from './device-name.ts'

describe('deviceName', () => {
  it.each([
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
      'Chrome on Linux',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
      'Firefox on Windows',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      'Safari on iPhone',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
      'Safari on macOS',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51',
      'Edge on Windows',
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
      'Chrome on Android',
    ],
    [
      'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.111 Mobile/15E148 Safari/604.1',
      'Chrome on iPad',
    ],
    [
      'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
      'Chrome on ChromeOS',
    ],
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36',
      'Chrome on Linux',
    ],
    ['curl/8.5.0', 'curl'],
    ['Wget/1.21.4', 'Wget'],
    ['Mozilla/5.0 (X11; Linux x86_64) SomeNewBrowser/1.0', 'A browser on Linux'],
  ])('names %s as %s', (userAgent, name) => {
    expect(deviceName(userAgent)).toBe(name)
  })

  it('says "Unknown device" for no header, an empty one, or one it does not recognise', () => {
    expect(deviceName(null)).toBe(unknownDevice)
    expect(deviceName(undefined)).toBe(unknownDevice)
    expect(deviceName('')).toBe(unknownDevice)
    expect(deviceName('python-requests/2.31.0')).toBe(unknownDevice)
  })

  it('never passes text of the header through, however hostile', () => {
    expect(deviceName('<script>alert(1)</script> Firefox/1.0')).toBe('Firefox')
    expect(deviceName('"><img src=x> (Windows)')).toBe('A browser on Windows')
    expect(deviceName('\u0000\uffff\ud800 curl/1')).toBe(unknownDevice)
  })

  it('reads only the first 512 characters of a huge header', () => {
    let huge = `${'Version/1 '.repeat(100_000)}Firefox/125.0`
    expect(deviceName(huge)).toBe(unknownDevice)
    expect(deviceName(`Firefox/125.0 (Linux) ${'x'.repeat(1_000_000)}`)).toBe('Firefox on Linux')
  })

  it('never throws for a value that is not a string', () => {
    expect(deviceName(42 as unknown as string)).toBe(unknownDevice)
    expect(deviceName({ toString: () => 'Firefox/1' } as unknown as string)).toBe(unknownDevice)
  })
})
