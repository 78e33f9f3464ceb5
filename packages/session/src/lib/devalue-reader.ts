import * as devalue from 'devalue'

/**
 * What `devalue.parse(text)` gives, without its set-up for the text of a lone string, number,
 * boolean or `null` (`["text"]`, `[12]`), the most common session value: devalue's own reading of
 * such text is its one entry, as is. Any other text (objects, arrays, `undefined`, `NaN`, a Date)
 * is devalue's to read.
 *
 * @throws {Error} as `devalue.parse` does, for text that is not devalue's format.
 */
export function parseValue(text: string): unknown {
  let parsed: unknown = JSON.parse(text)
  if (Array.isArray(parsed) && parsed.length === 1) {
    let only: unknown = parsed[0]
    if (only === null || typeof only !== 'object') return only
  }
  return devalue.unflatten(parsed as number | unknown[])
}
