/**
 * A small local server speaking the OpenAI chat-completions shape with logprobs: it prefers
 * the option whose text is longest (so a test knows the right answer), answers "B" in
 * generation, can demand an API key, and can fail the first N calls with 429.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatServerOptions {
  apiKey?: string;
  failFirst?: number;
  /** Ignore `n` and return one choice (as llama.cpp does). */
  singleChoice?: boolean;
  /** Answer each completion this many milliseconds late (a slow server, for interrupting runs). */
  delayMs?: number;
}

export interface ChatServer {
  baseUrl: string;
  calls: Array<{ body: Record<string, unknown>; authorization?: string }>;
  close(): Promise<void>;
}

export async function startChatServer(options: ChatServerOptions = {}): Promise<ChatServer> {
  const calls: ChatServer['calls'] = [];
  let failures = options.failFirst ?? 0;
  const server = createServer((req, res) => {
    // CORS, so a browser page on another origin can call it (as with Ollama's OLLAMA_ORIGINS).
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => setTimeout(answer, options.delayMs ?? 0));
    const answer = () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end('{"error":"not found"}');
        return;
      }
      const body = JSON.parse(raw) as Record<string, unknown>;
      calls.push({ body, authorization: req.headers.authorization });
      if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
        res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":{"message":"invalid api key"}}');
        return;
      }
      if (failures > 0) {
        failures--;
        res.writeHead(429, { 'Retry-After': '0' }).end('{"error":"rate limited"}');
        return;
      }
      const messages = body.messages as Array<{ role: string; content: string }>;
      const user = messages.at(-1)!.content;
      const optionLines = user.split('\n').filter((l) => /^[A-Z]\. /.test(l));
      const best = optionLines.reduce((a, b) => (b.length > a.length ? b : a), optionLines[0] ?? 'A. ');
      const bestLabel = best[0]!;
      if (body.logprobs) {
        const top = [
          { token: bestLabel, logprob: Math.log(0.6) },
          { token: ` ${bestLabel}`, logprob: Math.log(0.1) },
          ...optionLines.filter((l) => l[0] !== bestLabel).map((l) => ({ token: l[0]!, logprob: Math.log(0.1) })),
          { token: 'The', logprob: Math.log(0.05) },
        ];
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(
          JSON.stringify({ choices: [{ message: { content: bestLabel }, logprobs: { content: [{ token: bestLabel, logprob: Math.log(0.6), top_logprobs: top }] } }] }),
        );
        return;
      }
      const n = options.singleChoice ? 1 : Number(body.n ?? 1);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(
        JSON.stringify({ choices: Array.from({ length: n }, () => ({ message: { content: 'B. that one' } })) }),
      );
    };
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}/v1`, calls, close: () => new Promise((r) => server.close(() => r())) };
}
