/**
 * @generated SignedSource<<db40d4b75151610ea4bf60e702d603db>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type ResponseDecision = "CONFIRMED" | "DECLINED";
export type ResponseStatus = "CONFIRMED" | "DECLINED" | "OTHER" | "PENDING";
export type UpdateResponseInput = {
  comment: string;
  responseId: string;
  status: ResponseDecision;
};
export type incidentListDecideMutation$variables = {
  input: UpdateResponseInput;
};
export type incidentListDecideMutation$data = {
  readonly updateResponse: {
    readonly response: {
      readonly comment: string | null | undefined;
      readonly id: string;
      readonly status: ResponseStatus;
    };
  };
};
export type incidentListDecideMutation = {
  response: incidentListDecideMutation$data;
  variables: incidentListDecideMutation$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "input"
  }
],
v1 = [
  {
    "alias": null,
    "args": [
      {
        "kind": "Variable",
        "name": "input",
        "variableName": "input"
      }
    ],
    "concreteType": "UpdateResponsePayload",
    "kind": "LinkedField",
    "name": "updateResponse",
    "plural": false,
    "selections": [
      {
        "alias": null,
        "args": null,
        "concreteType": "Response",
        "kind": "LinkedField",
        "name": "response",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "id",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "status",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "comment",
            "storageKey": null
          }
        ],
        "storageKey": null
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
    "name": "incidentListDecideMutation",
    "selections": (v1/*:: as any*/),
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "incidentListDecideMutation",
    "selections": (v1/*:: as any*/)
  },
  "params": {
    "cacheID": "ff1c3953e7f6ea05a8b6dda00ea6fc96",
    "id": null,
    "metadata": {},
    "name": "incidentListDecideMutation",
    "operationKind": "mutation",
    "text": "mutation incidentListDecideMutation(\n  $input: UpdateResponseInput!\n) {\n  updateResponse(input: $input) {\n    response {\n      id\n      status\n      comment\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "6dac3172ce8f14d29e5b0b5535dd5744";

export default node;
