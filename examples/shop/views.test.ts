import { describe, expect, it } from 'vitest'
import { sessionsPage } from './views.ts'

const at = new Date('2025-01-31T14:05:09.000Z')

describe('sessionsPage', () => {
  it('escapes the device name and the handle it puts in the page', () => {
    let page = sessionsPage([
      {
        handle: '"><script>alert(1)</script>',
        createdAt: at,
        lastUsedAt: at,
        current: false,
        values: { device: '<img src=x onerror=alert(1)> & "more"' },
      },
    ])
    expect(page).not.toContain('<script>')
    expect(page).not.toContain('<img')
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;more&quot;')
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"')
  })

  it('marks this device, offers no "Sign out" for it, and prints times in UTC', () => {
    let page = sessionsPage([
      { handle: 'h'.repeat(43), createdAt: at, lastUsedAt: at, current: true, values: {} },
    ])
    expect(page).toContain('<th scope="row">Unknown device</th>')
    expect(page).toContain('This device')
    expect(page).not.toContain('name="handle"')
    expect(page).toContain('<time datetime="2025-01-31T14:05:09.000Z">2025-01-31 14:05 UTC</time>')
  })
})
