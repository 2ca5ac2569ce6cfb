/* global React, ReactDOM, GraphiQL, graphqlWs */
// Boots GraphiQL from assets served by the gateway itself (no CDN: air-gapped SOCs). Queries and
// mutations go over HTTP; subscriptions over GraphQL over WebSocket on the same path, with the
// headers of the headers editor as connection parameters (a browser cannot set WebSocket headers).
(function () {
  var root = document.getElementById('graphiql');
  var endpoint = root.getAttribute('data-endpoint') || window.location.pathname;
  var headers = {};
  try {
    headers = JSON.parse(root.getAttribute('data-headers') || '{}');
  } catch (e) {
    headers = {};
  }
  var http = GraphiQL.createFetcher({ url: endpoint });
  var socket = null;
  var socketHeaders = null;

  function webSocketFor(requestHeaders) {
    var key = JSON.stringify(requestHeaders || {});
    if (!socket || socketHeaders !== key) {
      if (socket) socket.dispose();
      socketHeaders = key;
      socket = graphqlWs.createClient({
        url: window.location.origin.replace(/^http/, 'ws') + endpoint,
        connectionParams: requestHeaders || {},
      });
    }
    return socket;
  }

  function isSubscription(params, options) {
    var document = options && options.documentAST;
    if (!document) return /^\s*subscription\b/m.test(params.query || '');
    return document.definitions.some(function (d) {
      return (
        d.kind === 'OperationDefinition' &&
        d.operation === 'subscription' &&
        (!params.operationName || (d.name && d.name.value === params.operationName))
      );
    });
  }

  function fetcher(params, options) {
    if (!isSubscription(params, options)) return http(params, options);
    return webSocketFor(options && options.headers).iterate({
      query: params.query,
      variables: params.variables,
      operationName: params.operationName || undefined,
    });
  }

  // `#query=…` opens the playground with that document (links from runbooks and tickets).
  var linked = /^#query=/.test(window.location.hash)
    ? decodeURIComponent(window.location.hash.slice('#query='.length))
    : undefined;
  var example = linked || root.getAttribute('data-example') || undefined;
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: example,
      query: linked,
      headers: Object.keys(headers).length ? JSON.stringify(headers, null, 2) : undefined,
      defaultEditorToolsVisibility: Object.keys(headers).length ? 'headers' : true,
      shouldPersistHeaders: false,
    }),
  );
})();
