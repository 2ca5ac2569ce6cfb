import { graphql } from 'relay-runtime';

/*
 * Relay documents for a triage list, read by relay-compiler (relay.config.json) into
 * __generated__/. At run time the generated artifacts stand in for these tags, as
 * babel-plugin-relay arranges in an application.
 */

/** The first page of the list; the fragment pages on with incidentListPaginationQuery. */
export const incidentListQuery = graphql`
  query incidentListQuery($first: Int = 5, $filter: IncidentFilter) {
    ...incidentList_query @arguments(first: $first, filter: $filter)
  }
`;

/** Incidents as a Relay connection: the connection handler appends each next page in the store. */
export const incidentListFragment = graphql`
  fragment incidentList_query on Query
  @refetchable(queryName: "incidentListPaginationQuery")
  @argumentDefinitions(
    first: { type: "Int", defaultValue: 5 }
    after: { type: "String" }
    filter: { type: "IncidentFilter" }
  ) {
    incidents(first: $first, after: $after, filter: $filter)
      @connection(key: "incidentList_incidents", filters: ["filter"]) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      edges {
        node {
          id
          incidentId
          summary
          status
          responses(first: 10) {
            nodes {
              id
              responseId
              status
            }
          }
        }
      }
    }
  }
`;

/** Confirm or decline a response: the store updates the Response record with this id. */
export const incidentListDecideMutation = graphql`
  mutation incidentListDecideMutation($input: UpdateResponseInput!) {
    updateResponse(input: $input) {
      response {
        id
        status
        comment
      }
    }
  }
`;
