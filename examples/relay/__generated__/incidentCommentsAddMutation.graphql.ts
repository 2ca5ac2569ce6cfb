/**
 * @generated SignedSource<<0b785dd1abe93b7cbd138b1971472c31>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type AddIncidentCommentInput = {
  incidentId: string;
  text: string;
};
export type incidentCommentsAddMutation$variables = {
  connections: ReadonlyArray<string>;
  input: AddIncidentCommentInput;
};
export type incidentCommentsAddMutation$data = {
  readonly addIncidentComment: {
    readonly comment: {
      readonly authorName: string;
      readonly commentId: string;
      readonly id: string;
      readonly text: string;
    };
  };
};
export type incidentCommentsAddMutation = {
  response: incidentCommentsAddMutation$data;
  variables: incidentCommentsAddMutation$variables;
};

const node: ConcreteRequest = (function(){
var v0 = {
  "defaultValue": null,
  "kind": "LocalArgument",
  "name": "connections"
},
v1 = {
  "defaultValue": null,
  "kind": "LocalArgument",
  "name": "input"
},
v2 = [
  {
    "kind": "Variable",
    "name": "input",
    "variableName": "input"
  }
],
v3 = {
  "alias": null,
  "args": null,
  "concreteType": "Comment",
  "kind": "LinkedField",
  "name": "comment",
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
      "name": "commentId",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "authorName",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "text",
      "storageKey": null
    }
  ],
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
    "name": "incidentCommentsAddMutation",
    "selections": [
      {
        "alias": null,
        "args": (v2/*:: as any*/),
        "concreteType": "AddIncidentCommentPayload",
        "kind": "LinkedField",
        "name": "addIncidentComment",
        "plural": false,
        "selections": [
          (v3/*:: as any*/)
        ],
        "storageKey": null
      }
    ],
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": [
      (v1/*:: as any*/),
      (v0/*:: as any*/)
    ],
    "kind": "Operation",
    "name": "incidentCommentsAddMutation",
    "selections": [
      {
        "alias": null,
        "args": (v2/*:: as any*/),
        "concreteType": "AddIncidentCommentPayload",
        "kind": "LinkedField",
        "name": "addIncidentComment",
        "plural": false,
        "selections": [
          (v3/*:: as any*/),
          {
            "alias": null,
            "args": null,
            "filters": null,
            "handle": "appendNode",
            "key": "",
            "kind": "LinkedHandle",
            "name": "comment",
            "handleArgs": [
              {
                "kind": "Variable",
                "name": "connections",
                "variableName": "connections"
              },
              {
                "kind": "Literal",
                "name": "edgeTypeName",
                "value": "CommentEdge"
              }
            ]
          }
        ],
        "storageKey": null
      }
    ]
  },
  "params": {
    "cacheID": "c2bde567cc030b4a1ea3ccc9e0259ab1",
    "id": null,
    "metadata": {},
    "name": "incidentCommentsAddMutation",
    "operationKind": "mutation",
    "text": "mutation incidentCommentsAddMutation(\n  $input: AddIncidentCommentInput!\n) {\n  addIncidentComment(input: $input) {\n    comment {\n      id\n      commentId\n      authorName\n      text\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "8f58f0182f077d160e54e140424ef601";

export default node;
