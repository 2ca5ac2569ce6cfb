import { registerEnumType } from 'type-graphql';

/** GraphQL enums of the MDR part; values equal the domain unions in domain/mdr.ts. */
export enum AssetStatusEnum {
  OK = 'OK',
  WARNING = 'WARNING',
  CRITICAL = 'CRITICAL',
  OFFLINE = 'OFFLINE',
  ABSENT = 'ABSENT',
}
registerEnumType(AssetStatusEnum, { name: 'AssetStatus' });

export enum IncidentPriorityEnum {
  LOW = 'LOW',
  NORMAL = 'NORMAL',
  HIGH = 'HIGH',
}
registerEnumType(IncidentPriorityEnum, { name: 'IncidentPriority' });

export enum IncidentStatusEnum {
  OPEN = 'OPEN',
  ON_HOLD = 'ON_HOLD',
  RESOLVED = 'RESOLVED',
  CLOSED = 'CLOSED',
}
registerEnumType(IncidentStatusEnum, { name: 'IncidentStatus' });

export enum IncidentResolutionEnum {
  TRUE_POSITIVE = 'TRUE_POSITIVE',
  FALSE_POSITIVE = 'FALSE_POSITIVE',
}
registerEnumType(IncidentResolutionEnum, { name: 'IncidentResolution' });

export enum TextFormat {
  MARKDOWN = 'MARKDOWN',
  HTML = 'HTML',
}
registerEnumType(TextFormat, { name: 'TextFormat' });

export enum ResponseStatusEnum {
  PENDING = 'PENDING',
  CONFIRMED = 'CONFIRMED',
  DECLINED = 'DECLINED',
  OTHER = 'OTHER',
}
registerEnumType(ResponseStatusEnum, { name: 'ResponseStatus' });

export enum ResponseDecisionEnum {
  CONFIRMED = 'CONFIRMED',
  DECLINED = 'DECLINED',
}
registerEnumType(ResponseDecisionEnum, { name: 'ResponseDecision' });
