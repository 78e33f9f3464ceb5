/** A product the shop sells. */
export interface Product {
  sku: string
  name: string
  price: number
}

export const products: Product[] = [
  { sku: 'mug', name: 'Enamel mug', price: 12 },
  { sku: 'tee', name: 'Cotton T-shirt', price: 25 },
  { sku: 'cap', name: 'Canvas cap', price: 18 },
]

export function findProduct(sku: string): Product | undefined {
  return products.find((product) => product.sku === sku)
}

/** Demo accounts: username → password. A real app keeps password hashes in a database. */
export const users: Record<string, string> = {
  ada: 'lovelace-1815',
  grace: 'hopper-1906',
}

/** Whether the password is the user's. Compares without stopping at the first difference. */
export function passwordMatches(username: string, password: string): boolean {
  let expected = Object.hasOwn(users, username) ? users[username] : undefined
  if (expected === undefined) return false
  let a = new TextEncoder().encode(expected)
  let b = new TextEncoder().encode(password)
  if (a.length !== b.length) return false
  let difference = 0
  for (let index = 0; index < a.length; index++)
    difference |= (a[index] as number) ^ (b[index] as number)
  return difference === 0
}
