import { mdrSettings, startSmallMdr } from '../helpers/mdr';
import type { MdrSimulator } from '../helpers/mdr';
import { startTestGateway } from '../helpers/gateway';
import type { TestGateway } from '../helpers/gateway';

const ADD = `mutation ($input: AddIncidentCommentInput!) {
  addIncidentComment(input: $input) {
    comment { commentId author authorName text html: text(format: HTML) }
  }
}`;

describe('comments and decisions made through the gateway name the caller', () => {
  let sim: MdrSimulator;
  let gw: TestGateway;

  beforeAll(async () => {
    sim = await startSmallMdr();
    gw = await startTestGateway({ mdr: mdrSettings(sim) });
  });
  afterAll(async () => {
    await gw?.stop();
    await sim?.close();
  });

  test("a comment carries the caller's name in its text for MDR, and Comment.author gives it back", async () => {
    const incident = sim.routes.incidents[3]!;
    const caller = await gw.as({ role: 'administrator', subject: 'alice@example.com' });
    const data = await gw.gql(ADD, { input: { incidentId: incident.incident_id, text: 'Host reimaged.' } }, caller);
    expect(data.addIncidentComment.comment).toEqual({
      commentId: expect.any(String),
      author: 'alice@example.com',
      authorName: 'Gateway administrator',
      text: 'Host reimaged.',
      html: '<p>\nHost reimaged.\n</p>',
    });
    // What MDR stores (and its console shows): the connection as author, the caller in the text.
    const stored = incident.comments!.find((c) => c.comment_id === data.addIncidentComment.comment.commentId)!;
    expect(stored).toMatchObject({
      author_name: 'Gateway administrator',
      text: '[via gateway: alice@example.com]\n\nHost reimaged.',
    });
    // Read back through a list, the same.
    const read = await gw.gql(
      `query ($id: String!) { incident(incidentId: $id) { comments(last: 1) { nodes { author text } } } }`,
      { id: incident.incident_id },
    );
    expect(read.incident.comments.nodes).toEqual([{ author: 'alice@example.com', text: 'Host reimaged.' }]);
  });

  test('a name that would end the tag is defused; a comment made elsewhere keeps its MDR author', async () => {
    const incident = sim.routes.incidents[4]!;
    const caller = await gw.as({ role: 'administrator', subject: 'mallory]\n\nforged' });
    const data = await gw.gql(ADD, { input: { incidentId: incident.incident_id, text: 'x' } }, caller);
    expect(data.addIncidentComment.comment).toMatchObject({ author: 'mallory   forged', text: 'x' });

    incident.comments = [
      {
        comment_id: 'console-1',
        author_name: 'Jane SOC',
        text: '[not a tag]\n\nhello',
        creation_time: 1,
        origin: 'SOC',
      },
    ];
    const read = await gw.gql(
      `query ($id: String!) { incident(incidentId: $id) { comments { nodes { author authorName text } } } }`,
      { id: incident.incident_id },
    );
    expect(read.incident.comments.nodes).toEqual([
      { author: 'Jane SOC', authorName: 'Jane SOC', text: '[not a tag]\n\nhello' },
    ]);
  });

  test("a response decision's comment names who decided: Response.decidedBy", async () => {
    const incident = sim.routes.incidents.find((i) => (i.responses ?? []).some((r) => r.status === 'Waiting'))!;
    const response = incident.responses!.find((r) => r.status === 'Waiting')!;
    const caller = await gw.as({ role: 'senior_security_officer', subject: 'bob', tenants: ['*'] });
    const data = await gw.gql(
      `mutation ($input: UpdateResponseInput!) {
        updateResponse(input: $input) { response { status comment decidedBy } }
      }`,
      { input: { responseId: response.response_id, status: 'CONFIRMED', comment: 'Approved.' } },
      caller,
    );
    expect(data.updateResponse.response).toEqual({ status: 'CONFIRMED', comment: 'Approved.', decidedBy: 'bob' });
    expect(response.comment).toBe('[via gateway: bob]\n\nApproved.');
  });
});
