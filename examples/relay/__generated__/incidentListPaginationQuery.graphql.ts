/**
 * @generated SignedSource<<01fae58920e96eb59ff39dea50f1ee29>>
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
export type incidentListPaginationQuery$variables = {
  after?: string | null | undefined;
  filter?: IncidentFilter | null | undefined;
  first?: number | null | undefined;
};
export type incidentListPaginationQuery$data = {
  readonly " $fragmentSpreads": FragmentRefs<"incidentList_query">;
};
export type incidentListPaginationQuery = {
  response: incidentListPaginationQuery$data;
  variables: incidentListPaginationQuery$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "after"
  },
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "filter"
  },
  {
    "defaultValue": 5,
    "kind": "LocalArgument",
    "name": "first"
  }
],
v1 = [
  {
    "kind": "Variable",
    "name": "after",
    "variableName": "after"
  },
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
v2 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
},
v3 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "status",
  "storageKey": null
};
return {
  "fragment": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "incidentListPaginationQuery",
    "selections": [
      {
        "args": (v1/*:: as any*/),
        "kind": "FragmentSpread",
        "name": "incidentList_query"
      }
    ],
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "incidentListPaginationQuery",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
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
                  (v2/*:: as any*/),
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
                  (v3/*:: as any*/),
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
                          (v2/*:: as any*/),
                          {
                            "alias": null,
                            "args": null,
                            "kind": "ScalarField",
                            "name": "responseId",
                            "storageKey": null
                          },
                          (v3/*:: as any*/)
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
        "args": (v1/*:: as any*/),
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
    "cacheID": "7f2420852158551b420a6f62f95da36a",
    "id": null,
    "metadata": {},
    "name": "incidentListPaginationQuery",
    "operationKind": "query",
    "text": "query incidentListPaginationQuery(\n  $after: String\n  $filter: IncidentFilter\n  $first: Int = 5\n) {\n  ...incidentList_query_G9cLv\n}\n\nfragment incidentList_query_G9cLv on Query {\n  incidents(first: $first, after: $after, filter: $filter) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    edges {\n      node {\n        id\n        incidentId\n        summary\n        status\n        responses(first: 10) {\n          nodes {\n            id\n            responseId\n            status\n          }\n        }\n        __typename\n      }\n      cursor\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "e94d4330173dae678a4b1a96889b9778";

export default node;
