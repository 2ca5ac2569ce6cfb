/* global React, ReactDOM, GraphiQL */
// Boots GraphiQL from assets served by the gateway itself (no CDN: air-gapped SOCs).
(function () {
  var root = document.getElementById('graphiql');
  var headers = {};
  try {
    headers = JSON.parse(root.getAttribute('data-headers') || '{}');
  } catch (e) {
    headers = {};
  }
  var fetcher = GraphiQL.createFetcher({ url: root.getAttribute('data-endpoint') || window.location.pathname });
  var example = root.getAttribute('data-example') || undefined;
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: example,
      headers: Object.keys(headers).length ? JSON.stringify(headers, null, 2) : undefined,
      defaultEditorToolsVisibility: Object.keys(headers).length ? 'headers' : true,
      shouldPersistHeaders: false,
    }),
  );
})();
