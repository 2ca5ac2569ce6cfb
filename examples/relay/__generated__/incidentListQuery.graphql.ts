/**
 * @generated SignedSource<<34fc372b56b65f8934c5065d5a7f0112>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type IncidentPriority = "HIGH" | "LOW" | "NORMAL";
export type IncidentResolution = "FALSE_POSITIVE" | "TRUE_POSITIVE";
export type IncidentStatus = "CLOSED" | "ON_HOLD" | "OPEN" | "RESOLVED";
export type ResponseStatus = "CONFIRMED" | "DECLINED" | "OTHER" | "PENDING";
export type IncidentFilter = {
  affectedHostNames?: ReadonlyArray<string> | null | undefined;
  assetIds?: ReadonlyArray<string> | null | undefined;
  createdAfter?: string | null | undefined;
  createdBefore?: string | null | undefined;
  detectionTechnologies?: ReadonlyArray<string> | null | undefined;
  mitreTactics?: ReadonlyArray<string> | null | undefined;
  mitreTechniques?: ReadonlyArray<string> | null | undefined;
  priorities?: ReadonlyArray<IncidentPriority> | null | undefined;
  resolutions?: ReadonlyArray<IncidentResolution> | null | undefined;
  responseStatuses?: ReadonlyArray<ResponseStatus> | null | undefined;
  responseTypes?: ReadonlyArray<string> | null | undefined;
  searchPhrase?: string | null | undefined;
  statuses?: ReadonlyArray<IncidentStatus> | null | undefined;
  tenantNames?: ReadonlyArray<string> | null | undefined;
  updatedAfter?: string | null | undefined;
  updatedBefore?: string | null | undefined;
};
export type incidentListQuery$variables = {
  filter?: IncidentFilter | null | undefined;
  first?: number | null | undefined;
};
export type incidentListQuery$data = {
  readonly " $fragmentSpreads": FragmentRefs<"incidentList_query">;
};
export type incidentListQuery = {
  response: incidentListQuery$data;
  variables: incidentListQuery$variables;
};

const node: ConcreteRequest = (function(){
var v0 = {
  "defaultValue": null,
  "kind": "LocalArgument",
  "name": "filter"
},
v1 = {
  "defaultValue": 5,
  "kind": "LocalArgument",
  "name": "first"
},
v2 = [
  {
    "kind": "Variable",
    "name": "filter",
    "variableName": "filter"
  },
  {
    "kind": "Variable",
    "name": "first",
    "variableName": "first"
  }
],
v3 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
},
v4 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "status",
  "storageKey": null
};
return {
  "fragment": {
    "argumentDefinitions": [
      (v0/*:: as any*/),
      (v1/*:: as any*/)
    ],
    "kind": "Fragment",
    "metadata": null,
    "name": "incidentListQuery",
    "selections": [
      {
        "args": (v2/*:: as any*/),
        "kind": "FragmentSpread",
        "name": "incidentList_query"
      }
    ],
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": [
      (v1/*:: as any*/),
      (v0/*:: as any*/)
    ],
    "kind": "Operation",
    "name": "incidentListQuery",
    "selections": [
      {
        "alias": null,
        "args": (v2/*:: as any*/),
        "concreteType": "IncidentConnection",
        "kind": "LinkedField",
        "name": "incidents",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "totalCount",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "concreteType": "PageInfo",
            "kind": "LinkedField",
            "name": "pageInfo",
            "plural": false,
            "selections": [
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "endCursor",
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "hasNextPage",
                "storageKey": null
              }
            ],
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "concreteType": "IncidentEdge",
            "kind": "LinkedField",
            "name": "edges",
            "plural": true,
            "selections": [
              {
                "alias": null,
                "args": null,
                "concreteType": "Incident",
                "kind": "LinkedField",
                "name": "node",
                "plural": false,
                "selections": [
                  (v3/*:: as any*/),
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
                  (v4/*:: as any*/),
                  {
                    "alias": null,
                    "args": [
                      {
                        "kind": "Literal",
                        "name": "first",
                        "value": 10
                      }
                    ],
                    "concreteType": "ResponseConnection",
                    "kind": "LinkedField",
                    "name": "responses",
                    "plural": false,
                    "selections": [
                      {
                        "alias": null,
                        "args": null,
                        "concreteType": "Response",
                        "kind": "LinkedField",
                        "name": "nodes",
                        "plural": true,
                        "selections": [
                          (v3/*:: as any*/),
                          {
                            "alias": null,
                            "args": null,
                            "kind": "ScalarField",
                            "name": "responseId",
                            "storageKey": null
                          },
                          (v4/*:: as any*/)
                        ],
                        "storageKey": null
                      }
                    ],
                    "storageKey": "responses(first:10)"
                  },
                  {
                    "alias": null,
                    "args": null,
                    "kind": "ScalarField",
                    "name": "__typename",
                    "storageKey": null
                  }
                ],
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "cursor",
                "storageKey": null
              }
            ],
            "storageKey": null
          }
        ],
        "storageKey": null
      },
      {
        "alias": null,
        "args": (v2/*:: as any*/),
        "filters": [
          "filter"
        ],
        "handle": "connection",
        "key": "incidentList_incidents",
        "kind": "LinkedHandle",
        "name": "incidents"
      }
    ]
  },
  "params": {
    "cacheID": "f508b7b6bb4f73babf5c63c39db5080a",
    "id": null,
    "metadata": {},
    "name": "incidentListQuery",
    "operationKind": "query",
    "text": "query incidentListQuery(\n  $first: Int = 5\n  $filter: IncidentFilter\n) {\n  ...incidentList_query_1qzYLD\n}\n\nfragment incidentList_query_1qzYLD on Query {\n  incidents(first: $first, filter: $filter) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      node {\n        id\n        incidentId\n        summary\n        status\n        responses(first: 10) {\n          nodes {\n            id\n            responseId\n            status\n          }\n        }\n        __typename\n      }\n      cursor\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "672316eeefc60da33606f0eddcc029a7";

export default node;
