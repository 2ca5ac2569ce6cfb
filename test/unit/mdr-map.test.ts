import { incidentFilterToWire, parseAffectedHost, toAsset, toIncident, toResponse } from '../../src/upstreams/mdr/map';

describe('MDR wire → domain mapping', () => {
  it('parses host:asset_id pairs, keeping odd values whole', () => {
    expect(parseAffectedHost('WS-FIN-0001:0xFA6A68CC9A9415963DE841048A3BE929')).toEqual({
      hostName: 'WS-FIN-0001',
      assetId: '0xFA6A68CC9A9415963DE841048A3BE929',
    });
    expect(parseAffectedHost('fe80::1')).toEqual({ hostName: 'fe80::1', assetId: null });
    expect(parseAffectedHost('LONELY')).toEqual({ hostName: 'LONELY', assetId: null });
  });

  it('splits |-joined IPs, maps ms to Date and empty strings to null', () => {
    const asset = toAsset({
      asset_id: '0x1',
      host_name: 'H',
      status: 'CRITICAL',
      domain: '',
      tenant_name: '',
      network_interfaces: [{ ip: '10.0.0.1|192.168.1.5', mac: 'AA', dsc: '' }],
      first_seen: 1601295428640,
    });
    expect(asset).toMatchObject({
      status: 'CRITICAL',
      domain: null,
      tenantName: null,
      isIsolated: false,
      firstSeen: new Date(1601295428640),
      lastSeen: null,
    });
    expect(asset.networkInterfaces).toEqual([
      { ipAddresses: ['10.0.0.1', '192.168.1.5'], macAddress: 'AA', description: null },
    ]);
  });

  it('maps vendor enums, keeping unknown response statuses as OTHER with the raw value', () => {
    const incident = toIncident({
      incident_id: 'i1',
      summary: 's',
      priority: 'HIGH',
      status: 'On hold',
      resolution: 'False positive',
      creation_time: 1,
      update_time: 2,
      affected_hosts: ['A:0xab'],
      responses: [{ response_id: 'r', type: 'RUN_SCRIPT', status: 'Executing' }],
    });
    expect(incident).toMatchObject({
      priority: 'HIGH',
      status: 'ON_HOLD',
      resolution: 'FALSE_POSITIVE',
      affectedHosts: [{ hostName: 'A', assetId: '0xab' }],
    });
    expect(incident.responses![0]).toMatchObject({ status: 'OTHER', vendorStatus: 'Executing', incidentId: 'i1' });
    expect(toResponse({ response_id: 'r', type: 'X', status: 'Waiting' }).status).toBe('PENDING');
    expect(
      toIncident({
        incident_id: 'i',
        summary: '',
        priority: 'WEIRD',
        status: 'Weird',
        creation_time: 1,
        update_time: 1,
      }),
    ).toMatchObject({ priority: 'NORMAL', status: 'OPEN', resolution: null });
  });

  it('reads a time beyond what a Date holds as no time, not as an Invalid Date', () => {
    const incident = toIncident({
      incident_id: 'i',
      summary: '',
      priority: 'LOW',
      status: 'Open',
      creation_time: 5,
      update_time: 1e20,
      comments: [{ comment_id: 'c', author_name: 'a', text: 't', creation_time: Number.MAX_VALUE }],
    });
    expect(incident.updateTime).toEqual(new Date(5));
    expect(incident.comments![0]!.creationTime).toEqual(new Date(0));
  });

  it('turns domain filters into the vendor spelling', () => {
    expect(
      incidentFilterToWire({
        statuses: ['ON_HOLD'],
        resolutions: ['TRUE_POSITIVE'],
        responseStatuses: ['PENDING', 'OTHER'],
        createdAfter: new Date(5),
      }),
    ).toEqual({
      statuses: ['On hold'],
      resolutions: ['True positive'],
      response_statuses: ['Waiting'],
      min_creation_time: 5,
    });
  });
});
