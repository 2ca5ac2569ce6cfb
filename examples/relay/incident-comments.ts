import { graphql } from 'relay-runtime';

/*
 * Relay documents for an incident's discussion, read by relay-compiler (relay.config.json) into
 * __generated__/. At run time the generated artifacts stand in for these tags.
 */

/** One incident with the first comments; the fragment refetches it through node(id:). */
export const incidentCommentsQuery = graphql`
  query incidentCommentsQuery($incidentId: String!, $first: Int = 2) {
    incident(incidentId: $incidentId) {
      id
      incidentId
      ...incidentComments_incident @arguments(first: $first)
    }
  }
`;

/** The comments as a connection on a Node: Relay's refetch and pagination query is node(id:). */
export const incidentCommentsFragment = graphql`
  fragment incidentComments_incident on Incident
  @refetchable(queryName: "incidentCommentsPaginationQuery")
  @argumentDefinitions(first: { type: "Int", defaultValue: 2 }, after: { type: "String" }) {
    summary
    comments(first: $first, after: $after) @connection(key: "incidentComments_comments") {
      pageInfo {
        endCursor
        hasNextPage
      }
      edges {
        node {
          id
          commentId
          authorName
          text
        }
      }
    }
  }
`;

/** Adds a comment and appends it to the given connections (an incident's comments) in the store. */
export const incidentCommentsAddMutation = graphql`
  mutation incidentCommentsAddMutation($input: AddIncidentCommentInput!, $connections: [ID!]!) {
    addIncidentComment(input: $input) {
      comment @appendNode(connections: $connections, edgeTypeName: "CommentEdge") {
        id
        commentId
        authorName
        text
      }
    }
  }
`;
