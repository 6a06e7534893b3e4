/**
 * A stand-in for the model APIs the real vendor CLIs talk to (Anthropic's
 * Messages API, Google's Gemini API), on loopback. It plays one scripted
 * agent: when the tool it is told to call is among the tools the CLI offers
 * and no result for it came back yet, it answers with that one tool call;
 * otherwise it ends the turn with text. Deciding from the request (not from a
 * request counter) keeps it right when a CLI sends side requests of its own
 * (titles, quota probes, token counts).
 *
 * Every request is recorded, so a test can see which tools the CLI offered
 * the model and which tool results it sent back.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedCall {
  /** The tool name exactly as the CLI offers it (e.g. `Bash`, `mcp__probe__probe_ping`). */
  tool: string;
  input: Record<string, unknown>;
}

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/v1/messages?beta=true`. */
  url: string;
  body: any;
}

export interface ModelServer {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Every tool name offered in any model request. */
  offeredTools(): string[];
  /** The tool results the CLI sent back (Anthropic `tool_result` blocks, Gemini `functionResponse` parts). */
  toolResults(): unknown[];
  close(): Promise<void>;
}

export const FINAL_TEXT = 'Done: the scripted turn is over.';

export async function startModelServer(call?: ScriptedCall): Promise<ModelServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: any = undefined;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = text;
      }
      requests.push({ method: req.method ?? '', url: req.url ?? '', body });
      try {
        route(req, res, body, call);
      } catch (error) {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    offeredTools: () => [...new Set(requests.flatMap((r) => offeredToolNames(r.body)))],
    toolResults: () => requests.flatMap((r) => toolResultsIn(r.body)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function route(req: IncomingMessage, res: ServerResponse, body: any, call: ScriptedCall | undefined): void {
  const path = (req.url ?? '').split('?')[0]!;
  if (req.method === 'POST' && path.endsWith('/v1/messages/count_tokens')) return sendJson(res, { input_tokens: 10 });
  if (req.method === 'POST' && path.endsWith('/v1/messages')) return anthropicMessage(res, body, call);
  const gemini = /\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/.exec(path);
  if (req.method === 'POST' && gemini) {
    if (gemini[2] === 'countTokens') return sendJson(res, { totalTokens: 10 });
    return geminiContent(res, body, call, gemini[1]!, gemini[2] === 'streamGenerateContent');
  }
  if (req.method === 'GET' && /\/v1(beta)?\/models/.test(path)) return sendJson(res, { data: [], models: [] });
  // Anything else a CLI probes (account, quota, telemetry) gets an empty success, not an error to retry.
  sendJson(res, {});
}

function sendJson(res: ServerResponse, value: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

/** Tool names offered in an Anthropic or Gemini request body. */
export function offeredToolNames(body: any): string[] {
  if (body === null || typeof body !== 'object') return [];
  const names: string[] = [];
  for (const tool of Array.isArray(body.tools) ? body.tools : []) {
    if (typeof tool?.name === 'string') names.push(tool.name);
    for (const declaration of Array.isArray(tool?.functionDeclarations) ? tool.functionDeclarations : []) {
      if (typeof declaration?.name === 'string') names.push(declaration.name);
    }
  }
  return names;
}

function toolResultsIn(body: any): unknown[] {
  if (body === null || typeof body !== 'object') return [];
  const results: unknown[] = [];
  for (const message of Array.isArray(body.messages) ? body.messages : []) {
    for (const block of Array.isArray(message?.content) ? message.content : []) {
      if (block?.type === 'tool_result') results.push(block);
    }
  }
  for (const content of Array.isArray(body.contents) ? body.contents : []) {
    for (const part of Array.isArray(content?.parts) ? content.parts : []) {
      if (part?.functionResponse) results.push(part.functionResponse);
    }
  }
  return results;
}

/** The scripted call when it is due in this conversation, else undefined (end the turn with text). */
function dueCall(body: any, call: ScriptedCall | undefined): ScriptedCall | undefined {
  if (call === undefined || !offeredToolNames(body).includes(call.tool)) return undefined;
  return toolResultsIn(body).length === 0 ? call : undefined;
}

let nextId = 1;

function anthropicMessage(res: ServerResponse, body: any, call: ScriptedCall | undefined): void {
  const due = dueCall(body, call);
  const id = `toolu_${String(nextId++).padStart(6, '0')}`;
  const block = due ? { type: 'tool_use', id, name: due.tool, input: due.input } : { type: 'text', text: FINAL_TEXT };
  const stopReason = due ? 'tool_use' : 'end_turn';
  const message = {
    id: `msg_${id}`,
    type: 'message',
    role: 'assistant',
    model: body?.model ?? 'claude-stand-in',
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 5 },
  };
  if (body?.stream !== true) return sendJson(res, { ...message, content: [block], stop_reason: stopReason });

  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const event = (type: string, data: object) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  event('message_start', { message: { ...message, content: [], stop_reason: null, usage: { input_tokens: 10, output_tokens: 1 } } });
  if (due) {
    event('content_block_start', { index: 0, content_block: { type: 'tool_use', id, name: due.tool, input: {} } });
    event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify(due.input) } });
  } else {
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: FINAL_TEXT } });
  }
  event('content_block_stop', { index: 0 });
  event('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: 5 } });
  event('message_stop', {});
  res.end();
}

function geminiContent(res: ServerResponse, body: any, call: ScriptedCall | undefined, model: string, stream: boolean): void {
  const due = dueCall(body, call);
  const part = due ? { functionCall: { name: due.tool, args: due.input } } : { text: FINAL_TEXT };
  const response = {
    candidates: [{ content: { role: 'model', parts: [part] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
    modelVersion: model,
  };
  if (!stream) return sendJson(res, response);
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(`data: ${JSON.stringify(response)}\n\n`);
  res.end();
}
