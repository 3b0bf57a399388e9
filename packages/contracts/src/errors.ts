/** Every HTTP error body in Tandem has this shape; `code` is stable, `message` is for people. */
export interface ErrorBody {
  error: { code: string; message: string }
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } }
}
