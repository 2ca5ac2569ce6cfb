// graphql-ws publishes `graphql-ws/use/ws` through package exports only, which this project's
// module resolution (node10, for CommonJS output) does not read; the types are the same file.
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws';
}
