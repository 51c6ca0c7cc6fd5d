/**
 * A reverse proxy on 127.0.0.1 that sits between a real SDK client and one of the fake cloud
 * servers and breaks chosen requests: throttling and 5xx answers, connections reset before or in
 * the middle of a response, answers that never come, truncated or malformed bodies, and
 * credentials that stop working after N calls. Whatever it does not break it forwards verbatim,
 * rewriting the upstream origin in bodies and headers so that next-page links come back through it.
 *
 * It speaks http or https (with the fake ARM's certificate), so the same proxy serves every
 * provider's fake.
 */
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo, Socket } from "node:net";

/** What the proxy does with one request. */
export type Fault =
  /** Answer this instead of forwarding (a throttle, a 5xx, a 401). */
  | { kind: "respond"; status: number; headers?: Record<string, string>; body: string }
  /** Destroy the socket before any byte of the answer. */
  | { kind: "reset" }
  /** Send the status line, headers and part of the upstream body, then destroy the socket. */
  | { kind: "reset-mid-body" }
  /** Never answer (the client's timeout must cut it off). */
  | { kind: "hang" }
  /** Forward after `ms` milliseconds. */
  | { kind: "delay"; ms: number }
  /** Forward the upstream status and headers but only the first half of the body, then end cleanly. */
  | { kind: "truncate" }
  /** Forward the upstream status and headers with this body instead. */
  | { kind: "replace-body"; body: string };

/** One request as the fault plan sees it. */
export interface ProxiedRequest {
  method: string;
  /** Path and query. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** 1-based count of requests the proxy has seen, this one included. */
  index: number;
}

/** Decides the fault for each request; `undefined` forwards it untouched. */
export type FaultPlan = (request: ProxiedRequest) => Fault | undefined;

/** A running proxy. */
export interface FaultProxy {
  /** `http(s)://127.0.0.1:PORT`: give this to the client as its endpoint. */
  url: string;
  /** Faults injected, by kind. */
  injected: Record<string, number>;
  /** Requests seen. */
  requests: number;
  close(): Promise<void>;
}

/** Starts a proxy to `upstream` (`http://…` or `https://…`); https reuses `tls` for its own side. */
export async function startFaultProxy(
  upstream: string,
  plan: FaultPlan,
  tls?: { cert: string; key: string },
): Promise<FaultProxy> {
  const target = new URL(upstream);
  const secure = target.protocol === "https:";
  const injected: Record<string, number> = {};
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let requests = 0;
  let origin = "";
  const agent = secure
    ? new https.Agent({ ca: tls?.cert, keepAlive: false })
    : new http.Agent({ keepAlive: false });

  const handler = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      requests++;
      const body = Buffer.concat(chunks);
      const fault = plan({
        method: request.method ?? "GET",
        url: request.url ?? "/",
        headers: request.headers,
        body: body.toString("utf8"),
        index: requests,
      });
      if (fault) injected[fault.kind] = (injected[fault.kind] ?? 0) + 1;
      switch (fault?.kind) {
        case "respond":
          response.writeHead(fault.status, {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(fault.body),
            ...fault.headers,
          });
          response.end(fault.body);
          return;
        case "reset":
          request.socket.destroy();
          return;
        case "hang":
          return;
        case "delay": {
          const timer = setTimeout(() => {
            timers.delete(timer);
            forward(request, body, response, undefined);
          }, fault.ms);
          timers.add(timer);
          return;
        }
        default:
          forward(request, body, response, fault);
      }
    });
  };

  const forward = (
    request: http.IncomingMessage,
    body: Buffer,
    response: http.ServerResponse,
    fault: Fault | undefined,
  ): void => {
    const headers = { ...request.headers, host: target.host };
    const outgoing = (secure ? https : http).request(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers,
        agent,
      },
      (upstreamResponse) => {
        const parts: Buffer[] = [];
        upstreamResponse.on("data", (chunk: Buffer) => parts.push(chunk));
        upstreamResponse.on("end", () => {
          let text = Buffer.concat(parts).toString("utf8").split(target.origin).join(origin);
          if (fault?.kind === "replace-body") text = fault.body;
          const payload = Buffer.from(text, "utf8");
          const outHeaders: http.OutgoingHttpHeaders = {};
          for (const [name, value] of Object.entries(upstreamResponse.headers)) {
            if (value === undefined || name === "content-length" || name === "transfer-encoding") continue;
            outHeaders[name] = typeof value === "string" ? value.split(target.origin).join(origin) : value;
          }
          if (fault?.kind === "truncate") {
            const half = payload.subarray(0, Math.floor(payload.length / 2));
            outHeaders["content-length"] = half.length;
            response.writeHead(upstreamResponse.statusCode ?? 502, outHeaders);
            response.end(half);
            return;
          }
          if (fault?.kind === "reset-mid-body") {
            // Promise the whole body, deliver part of it, then drop the connection.
            outHeaders["content-length"] = payload.length;
            response.writeHead(upstreamResponse.statusCode ?? 502, outHeaders);
            response.write(payload.subarray(0, Math.max(1, Math.floor(payload.length / 3))), () =>
              request.socket.destroy(),
            );
            return;
          }
          outHeaders["content-length"] = payload.length;
          response.writeHead(upstreamResponse.statusCode ?? 502, outHeaders);
          response.end(payload);
        });
      },
    );
    outgoing.on("error", () => request.socket.destroy());
    outgoing.end(body);
  };

  const server = secure
    ? https.createServer({ cert: tls?.cert, key: tls?.key }, handler)
    : http.createServer(handler);
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("secureConnection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  origin = `${target.protocol}//127.0.0.1:${port}`;
  return {
    url: origin,
    injected,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Total faults a proxy injected. */
export function faultCount(proxy: FaultProxy): number {
  return Object.values(proxy.injected).reduce((sum, count) => sum + count, 0);
}
