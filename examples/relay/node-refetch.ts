import { graphql } from 'relay-runtime';

/*
 * Read by relay-compiler (relay.config.json) into __generated__/; the artifact is used at run time.
 */

/** Any object again by its global id, as Relay refetches what a list showed. */
export const nodeRefetchQuery = graphql`
  query nodeRefetchQuery($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Incident {
        incidentId
        summary
        status
      }
      ... on Host {
        hostId
        name
      }
    }
  }
`;
