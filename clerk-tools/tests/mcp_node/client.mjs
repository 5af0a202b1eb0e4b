// A client of `clerk-tools mcp` built on the official MCP TypeScript SDK, for
// tests/mcp_typescript.rs. It reads one JSON request on stdin: how to connect
// ({"transport": "stdio", "command", "args", "env"} or {"transport": "http", "url", "token"})
// and which calls to make ("calls": [[name, arguments], ...], "unknownTool": name). It prints
// one JSON report on stdout: what the SDK saw, for the test to assert on.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const request = JSON.parse(input);

const transport =
  request.transport === 'stdio'
    ? new StdioClientTransport({
        command: request.command,
        args: request.args,
        env: request.env,
        stderr: 'inherit',
      })
    : new StreamableHTTPClientTransport(new URL(request.url), {
        requestInit: { headers: { Authorization: `Bearer ${request.token}` } },
      });
// The SDK tells the transport the version it negotiated; the stdio transport has no use for it.
let protocolVersion = null;
const setProtocolVersion = transport.setProtocolVersion?.bind(transport);
transport.setProtocolVersion = (version) => {
  protocolVersion = version;
  setProtocolVersion?.(version);
};

const client = new Client({ name: 'clerk-tools-typescript-test', version: '0.0.0' });
await client.connect(transport);

const report = { server: client.getServerVersion(), protocolVersion };
// Every page, though the server lists all its tools at once.
report.tools = [];
let cursor;
do {
  const page = await client.listTools(cursor ? { cursor } : {});
  report.tools.push(...page.tools);
  cursor = page.nextCursor;
} while (cursor);

// The SDK checks `structuredContent` against the tool's output schema itself, and throws when
// it does not conform or is missing from a success.
report.calls = [];
for (const [name, args] of request.calls) {
  const result = await client.callTool({ name, arguments: args });
  report.calls.push({ name, result });
}

try {
  await client.callTool({ name: request.unknownTool, arguments: {} });
  report.unknownTool = { answered: 'a result' };
} catch (error) {
  report.unknownTool =
    error instanceof McpError ? { code: error.code, message: error.message } : { thrown: String(error) };
}

await client.close();
process.stdout.write(JSON.stringify(report));
