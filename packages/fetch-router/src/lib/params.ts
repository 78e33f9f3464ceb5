/**
 * The params a route pattern captures, as an object type: `Params<'/users/:id(/*rest)'>` is
 * `{ id: string; rest: string | undefined }`. Params inside an optional group may be `undefined`;
 * an unnamed `*` captures nothing; `\:` and `\*` are text. Checked against the parser over one
 * table of patterns (`route-pattern.test.ts`).
 */
export type Params<Pattern extends string> = string extends Pattern
  ? Record<string, string | undefined>
  : Walk<Pattern, [], never, never>

/** A character that may start a param name, as the parser reads it: a letter, `_` or `$`. */
type NameStart =
  | 'a'
  | 'b'
  | 'c'
  | 'd'
  | 'e'
  | 'f'
  | 'g'
  | 'h'
  | 'i'
  | 'j'
  | 'k'
  | 'l'
  | 'm'
  | 'n'
  | 'o'
  | 'p'
  | 'q'
  | 'r'
  | 's'
  | 't'
  | 'u'
  | 'v'
  | 'w'
  | 'x'
  | 'y'
  | 'z'
  | Uppercase<'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h' | 'i' | 'j' | 'k' | 'l' | 'm'>
  | Uppercase<'n' | 'o' | 'p' | 'q' | 'r' | 's' | 't' | 'u' | 'v' | 'w' | 'x' | 'y' | 'z'>
  | '_'
  | '$'

/** A character that may continue a param name: a name start or a digit. */
type NameChar = NameStart | '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9'

/** `[name, rest]`: the param name at the start of `Source` (`''` when none), and what follows. */
type ReadName<Source extends string> = Source extends `${infer Char}${infer Rest}`
  ? Char extends NameStart
    ? ReadNameRest<Rest, Char>
    : ['', Source]
  : ['', Source]

type ReadNameRest<
  Source extends string,
  Name extends string,
> = Source extends `${infer Char}${infer Rest}`
  ? Char extends NameChar
    ? ReadNameRest<Rest, `${Name}${Char}`>
    : [Name, Source]
  : [Name, Source]

type Collect<
  Name extends string,
  Rest extends string,
  Depth extends unknown[],
  Required extends string,
  Optional extends string,
> = Name extends ''
  ? Walk<Rest, Depth, Required, Optional>
  : Depth extends []
    ? Walk<Rest, Depth, Required | Name, Optional>
    : Walk<Rest, Depth, Required, Optional | Name>

type Walk<
  Source extends string,
  Depth extends unknown[],
  Required extends string,
  Optional extends string,
> = Source extends `\\${string}${infer Rest}`
  ? Walk<Rest, Depth, Required, Optional>
  : Source extends `(${infer Rest}`
    ? Walk<Rest, [...Depth, unknown], Required, Optional>
    : Source extends `)${infer Rest}`
      ? Walk<Rest, Depth extends [unknown, ...infer Outer] ? Outer : [], Required, Optional>
      : Source extends `${':' | '*'}${infer Rest}`
        ? ReadName<Rest> extends [infer Name extends string, infer After extends string]
          ? Collect<Name, After, Depth, Required, Optional>
          : never
        : Source extends `${string}${infer Rest}`
          ? Walk<Rest, Depth, Required, Optional>
          : Simplify<
              { [Key in Required]: string } & {
                [Key in Exclude<Optional, Required>]: string | undefined
              }
            >

type Simplify<Type> = { [Key in keyof Type]: Type[Key] } & {}
