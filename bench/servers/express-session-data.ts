// express-session types `req.session` from this interface; the counter servers store `count`.
declare module 'express-session' {
  interface SessionData {
    count: number
  }
}

export {}
