// First of main.ts's imports, so it runs before graphql is loaded: graphql-js chooses at load time
// between its production build and its development one, which checks every type test it makes
// against a second copy of graphql. An explicit NODE_ENV (development, say) is kept.
process.env.NODE_ENV ??= 'production';
