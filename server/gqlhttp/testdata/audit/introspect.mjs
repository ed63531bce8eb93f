// Runs graphql-js's standard introspection query (the one GraphiQL and the
// schema tools send) against INTROSPECT_URL, builds a client schema from the
// answer with buildClientSchema, and prints a summary of it as JSON. Any
// error, in the answer or in building the schema, exits non-zero.
import { getIntrospectionQuery, buildClientSchema } from 'graphql';

const res = await fetch(process.env.INTROSPECT_URL, {
  method: 'POST',
  headers: {
    'Content-Type': 'application/json',
    Accept: 'application/graphql-response+json',
    Authorization: process.env.INTROSPECT_AUTH,
  },
  body: JSON.stringify({ query: getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }) }),
});
const body = await res.json();
if (!res.ok || body.errors) {
  console.error(res.status, JSON.stringify(body.errors ?? body));
  process.exit(1);
}
const schema = buildClientSchema(body.data);
const node = schema.getType('Node');
console.log(JSON.stringify({
  query: schema.getQueryType().name,
  types: Object.keys(schema.getTypeMap()).length,
  nodeImplementations: schema.getPossibleTypes(node).map((t) => t.name).sort(),
}));
