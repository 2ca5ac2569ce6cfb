/**
 * @generated SignedSource<<b454e99408bcac21b8abf306bd314225>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type IncidentStatus = "CLOSED" | "ON_HOLD" | "OPEN" | "RESOLVED";
export type nodeRefetchQuery$variables = {
  id: string;
};
export type nodeRefetchQuery$data = {
  readonly node: {
    readonly __typename: string;
    readonly hostId?: string;
    readonly id: string;
    readonly incidentId?: string;
    readonly name?: string;
    readonly status?: IncidentStatus;
    readonly summary?: string;
  } | null | undefined;
};
export type nodeRefetchQuery = {
  response: nodeRefetchQuery$data;
  variables: nodeRefetchQuery$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "id"
  }
],
v1 = [
  {
    "alias": null,
    "args": [
      {
        "kind": "Variable",
        "name": "id",
        "variableName": "id"
      }
    ],
    "concreteType": null,
    "kind": "LinkedField",
    "name": "node",
    "plural": false,
    "selections": [
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "__typename",
        "storageKey": null
      },
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "id",
        "storageKey": null
      },
      {
        "kind": "InlineFragment",
        "selections": [
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "incidentId",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "summary",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "status",
            "storageKey": null
          }
        ],
        "type": "Incident",
        "abstractKey": null
      },
      {
        "kind": "InlineFragment",
        "selections": [
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "hostId",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "name",
            "storageKey": null
          }
        ],
        "type": "Host",
        "abstractKey": null
      }
    ],
    "storageKey": null
  }
];
return {
  "fragment": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "nodeRefetchQuery",
    "selections": (v1/*:: as any*/),
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "nodeRefetchQuery",
    "selections": (v1/*:: as any*/)
  },
  "params": {
    "cacheID": "f6c13c69959b2658fb00b148b4c7ed42",
    "id": null,
    "metadata": {},
    "name": "nodeRefetchQuery",
    "operationKind": "query",
    "text": "query nodeRefetchQuery(\n  $id: ID!\n) {\n  node(id: $id) {\n    __typename\n    id\n    ... on Incident {\n      incidentId\n      summary\n      status\n    }\n    ... on Host {\n      hostId\n      name\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "7702bcd202aefcbf09a71df3daf2b63d";

export default node;
