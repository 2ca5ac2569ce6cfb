import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Served under `/graphql/assets/`; read once at start-up. */
interface Asset {
  body: Buffer;
  contentType: string;
}

const ASSET_SOURCES: Record<string, [pkg: string, file: string, contentType: string]> = {
  'react.production.min.js': ['react', 'umd/react.production.min.js', 'text/javascript; charset=utf-8'],
  'react-dom.production.min.js': ['react-dom', 'umd/react-dom.production.min.js', 'text/javascript; charset=utf-8'],
  'graphiql.min.js': ['graphiql', 'graphiql.min.js', 'text/javascript; charset=utf-8'],
  'graphiql.min.css': ['graphiql', 'graphiql.min.css', 'text/css; charset=utf-8'],
  'graphql-ws.min.js': ['graphql-ws', 'umd/graphql-ws.min.js', 'text/javascript; charset=utf-8'],
};

const EXAMPLE_QUERY = `# Welcome to the Kaspersky security gateway.
# Press the play button (or Ctrl-Enter) to run a query.
query Triage {
  upstreams { upstream configured reachable latencyMs message }
}
`;

/** Content-Security-Policy of the playground page: everything from this origin, nothing else. */
export const PLAYGROUND_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
// connect-src 'self' covers ws: and wss: to this origin too (CSP Level 3, as browsers apply it).

/** The GraphiQL IDE, self-hosted: HTML plus the JS/CSS it needs, no external URL. */
export class Playground {
  private readonly assets = new Map<string, Asset>();

  constructor() {
    for (const [name, [pkg, file, contentType]] of Object.entries(ASSET_SOURCES)) {
      const dir = path.dirname(require.resolve(`${pkg}/package.json`));
      this.assets.set(name, { body: readFileSync(path.join(dir, file)), contentType });
    }
    this.assets.set('playground.js', {
      // src/server and dist/server are both two levels below the project root.
      body: readFileSync(path.join(__dirname, '..', '..', 'public', 'playground.js')),
      contentType: 'text/javascript; charset=utf-8',
    });
  }

  asset(name: string): Asset | undefined {
    return this.assets.get(name);
  }

  /** The page; `headers` pre-fills the headers editor (the demo token in demo mode). */
  html(endpoint: string, headers: Record<string, string> = {}): string {
    const attr = (value: string) =>
      value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const assets = `${endpoint}/assets`;
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kaspersky security gateway · GraphiQL</title>
<link rel="stylesheet" href="${assets}/graphiql.min.css">
<style>html,body,#graphiql{height:100%;margin:0}</style>
</head>
<body>
<div id="graphiql" data-endpoint="${attr(endpoint)}" data-headers="${attr(JSON.stringify(headers))}" data-example="${attr(EXAMPLE_QUERY)}">Loading the playground…</div>
<script src="${assets}/react.production.min.js"></script>
<script src="${assets}/react-dom.production.min.js"></script>
<script src="${assets}/graphiql.min.js"></script>
<script src="${assets}/graphql-ws.min.js"></script>
<script src="${assets}/playground.js"></script>
</body>
</html>
`;
  }
}
