import { describe, expect, it } from 'vitest'
import { escapeHtml, html, json, redirect, text } from './response-helpers.ts'

describe('text()', () => {
  it('sends plain text with a UTF-8 plain-text content type', async () => {
    let response = text('héllo')
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/plain; charset=utf-8')
    expect(await response.text()).toBe('héllo')
  })

  it('keeps init: status, status text, headers and a content type set there', async () => {
    let response = text('a,b', {
      status: 201,
      statusText: 'Made',
      headers: { 'Content-Type': 'text/csv', 'X-Id': '1' },
    })
    expect([response.status, response.statusText]).toEqual([201, 'Made'])
    expect(response.headers.get('Content-Type')).toBe('text/csv')
    expect(response.headers.get('X-Id')).toBe('1')
    expect(await response.text()).toBe('a,b')
    let accepted = text('queued', { status: 202 })
    expect(accepted.status).toBe(202)
    expect(accepted.headers.get('Content-Type')).toBe('text/plain; charset=utf-8')
  })
})

describe('json()', () => {
  it('serializes data with a JSON content type, keeping init', async () => {
    let response = json({ ok: true }, { status: 201, headers: { 'X-Id': '1' } })
    expect(response.status).toBe(201)
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8')
    expect(response.headers.get('X-Id')).toBe('1')
    expect(await response.json()).toEqual({ ok: true })
  })

  it('keeps a content type set in init', () => {
    let response = json({}, { headers: { 'Content-Type': 'application/problem+json' } })
    expect(response.headers.get('Content-Type')).toBe('application/problem+json')
  })
})

describe('html()', () => {
  it('sends HTML with an HTML content type', async () => {
    let response = html('<h1>Hi</h1>')
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
    expect(await response.text()).toBe('<h1>Hi</h1>')
  })
})

describe('escapeHtml()', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    )
  })
})

describe('redirect()', () => {
  it('redirects with 302 by default, or the status given', () => {
    let found = redirect('/login')
    expect(found.status).toBe(302)
    expect(found.headers.get('Location')).toBe('/login')
    expect(redirect(new URL('http://x.test/a'), 303).headers.get('Location')).toBe(
      'http://x.test/a',
    )
    let init = redirect('/b', { status: 307, headers: { 'Set-Cookie': 'a=b' } })
    expect([init.status, init.headers.get('Set-Cookie')]).toEqual([307, 'a=b'])
  })

  it('refuses a status that is not a redirect', () => {
    expect(() => redirect('/x', 200)).toThrow(RangeError)
  })
})
