/** Parley Studio's HTTP API as a test calls it: JSON in and out, as the editor with `token` (a bearer token). */
export function studioApi(url: string, token: string) {
  return async (method: string, pathname: string, body?: unknown): Promise<{ status: number; json: any }> => {
    const response = await fetch(`${url}${pathname}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json().catch(() => null)) as any };
  };
}

/** A preview turn's or a web chat turn's replies as one text. */
export const repliesText = (turn: { replies: Array<{ text?: string }> }): string => turn.replies.map((r) => r.text ?? '').join('\n');
