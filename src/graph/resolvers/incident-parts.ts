import type { IncidentPart } from '../../domain/mdr';
import { partsRead } from './operation-parts';
import type { OperationReading } from './operation-parts';

/** The Incident fields that read a part a list call may leave out (see IncidentPart). */
const PART_OF_FIELD = new Map<string, IncidentPart>([
  ['description', 'description'],
  ['statusDescription', 'statusDescription'],
  ['resolution', 'resolution'],
  ['detectionTechnology', 'detectionTechnology'],
  ['attackStage', 'attackStage'],
  ['mitreTactics', 'mitreTactics'],
  ['mitreTechniques', 'mitreTechniques'],
  ['responses', 'responses'],
  ['comments', 'comments'],
]);

/**
 * The incident parts this operation reads anywhere (see partsRead): everything for operations
 * using `node`/`nodes`, since a Response or Comment found by id is read from its incident's
 * embedded lists.
 */
export function incidentPartsOf(reading: OperationReading): readonly IncidentPart[] | undefined {
  return partsRead(reading, 'Incident', PART_OF_FIELD);
}
