/**
 * Test-only: one valid object of each STIX 2.1 type that the OASIS examples and ATT&CK lack, written
 * after the examples of the STIX 2.1 specification, so that the differential test also mutates
 * every SCO, its predefined extensions, and the rarer SDOs and meta objects.
 */
import { deterministicScoId } from './sco-id.js';
import { tlpMarkingDefinitions } from './tlp.js';

type Json = Record<string, unknown>;
const T = '2024-03-01T10:00:00.000Z';
const sdo = (type: string, n: number, props: Json): Json => ({
  type,
  spec_version: '2.1',
  id: `${type}--${n.toString(16).padStart(8, '0')}-1b2c-4d3e-8f40-516273849abc`,
  created: T,
  modified: T,
  ...props,
});
const sco = (type: string, props: Json): Json => {
  const o: Json = { type, spec_version: '2.1', ...props };
  o.id = deterministicScoId(o) ?? `${type}--5f4a1d2c-0b1e-4c3d-9e2f-7a6b5c4d3e2f`;
  return o;
};

export function specSeeds(): Json[] {
  return [
    sco('artifact', { mime_type: 'image/jpeg', payload_bin: 'VBORw0KGgoAAAANSUhEUgAAADI==' }),
    sco('artifact', {
      url: 'https://example.org/x.bin',
      hashes: { 'SHA-256': '6db12788c37247f2316052e142f42f4b259d6561751e5f401a1ae2a6df9c674b' },
      encryption_algorithm: 'mime-type-indicated',
      decryption_key: 'secret',
    }),
    sco('autonomous-system', { number: 15139, name: 'Slime Industries', rir: 'ARIN' }),
    sco('directory', { path: 'C:\\Windows\\System32', path_enc: 'utf-8', contains_refs: ['file--x'] }),
    sco('domain-name', { value: 'example.com', resolves_to_refs: ['ipv4-addr--x'] }),
    sco('email-addr', { value: 'john@example.com', display_name: 'John Doe' }),
    sco('email-message', {
      is_multipart: true,
      date: '1997-11-21T15:55:06.000Z',
      content_type: 'multipart/mixed',
      from_ref: 'email-addr--x',
      subject: 'Check out this picture!',
      additional_header_fields: { 'X-Mailer': 'x', Received: ['a', 'b'] },
      body_multipart: [
        { content_type: 'text/plain; charset=utf-8', body: 'Cats are funny!' },
        { content_type: 'image/png', body_raw_ref: 'artifact--x', content_disposition: 'attachment' },
      ],
    }),
    sco('email-message', { is_multipart: false, body: 'hello', subject: 'hi', received_lines: ['from x'] }),
    sco('file', {
      hashes: { 'SHA-256': 'ceafbfd424be2ca4a5f0402cae090dda2fb0526cf521b60b60077c0f622b285a' },
      name: 'qwerty.dll',
      size: 25536,
      magic_number_hex: '4D5A',
      extensions: {
        'windows-pebinary-ext': {
          pe_type: 'dll',
          number_of_sections: 4,
          time_date_stamp: '2016-01-22T12:31:12Z',
          optional_header: {
            magic_hex: '010b',
            size_of_code: 4096,
            hashes: { MD5: '3c6e6fd4e7fd2ee8e3e9d3f0b3f6c0a1' },
          },
          sections: [{ name: '.text', size: 3, entropy: 6.1 }],
        },
        'ntfs-ext': { alternate_data_streams: [{ name: 'second.stream', size: 25536 }] },
        'raster-image-ext': { image_height: 768, exif_tags: { Make: 'Nikon', XResolution: 4928 } },
        'pdf-ext': {
          version: '1.7',
          document_info_dict: { Title: 'Sample' },
          pdfid0: 'DFCE52BD827ECF765649852119D',
        },
        'archive-ext': { contains_refs: ['file--x'], comment: 'zip' },
      },
    }),
    sco('ipv4-addr', { value: '198.51.100.0/24' }),
    sco('ipv6-addr', { value: '2001:0db8:85a3:0000:0000:8a2e:0370:7334' }),
    sco('mac-addr', { value: 'd2:fb:49:24:37:18' }),
    sco('mutex', { name: '__CLEANSWEEP__' }),
    sco('network-traffic', {
      src_ref: 'ipv4-addr--x',
      dst_ref: 'ipv4-addr--y',
      src_port: 2487,
      dst_port: 80,
      protocols: ['ipv4', 'tcp', 'http'],
      is_active: true,
      start: '2024-01-01T00:00:00Z',
      ipfix: { minimumIpTotalLength: 32, maximumIpTotalLength: 2556 },
      extensions: {
        'http-request-ext': {
          request_method: 'get',
          request_value: '/download.html',
          request_header: { Host: ['example.com'] },
        },
        'tcp-ext': { src_flags_hex: '00000002' },
        'socket-ext': { address_family: 'AF_INET', socket_type: 'SOCK_STREAM', options: { SO_TEST: 1000 } },
        'icmp-ext': { icmp_type_hex: '08', icmp_code_hex: '00' },
      },
    }),
    sco('process', {
      pid: 1221,
      command_line: './gedit-bin --new-window',
      environment_variables: { HOME: '/home/x' },
      extensions: {
        'windows-process-ext': {
          aslr_enabled: true,
          integrity_level: 'high',
          startup_info: { lpTitle: 'x', dwX: 1 },
        },
        'windows-service-ext': {
          service_name: 'sirvizio',
          start_type: 'SERVICE_AUTO_START',
          service_status: 'SERVICE_RUNNING',
        },
      },
    }),
    sco('software', {
      name: 'Word',
      cpe: 'cpe:2.3:a:microsoft:word:2000:*:*:*:*:*:*:*',
      languages: ['en', 'de-DE'],
      vendor: 'Microsoft',
      version: '2002',
    }),
    sco('url', { value: 'https://example.com/research/index.html' }),
    sco('user-account', {
      user_id: '1001',
      account_login: 'jdoe',
      account_type: 'unix',
      is_privileged: false,
      account_created: '2016-01-20T12:31:12Z',
      extensions: {
        'unix-account-ext': { gid: 1001, groups: ['wheel'], home_dir: '/home/jdoe', shell: '/bin/bash' },
      },
    }),
    sco('windows-registry-key', {
      key: 'HKEY_LOCAL_MACHINE\\System\\Foo\\Bar',
      values: [{ name: 'Foo', data: 'qwerty', data_type: 'REG_SZ' }],
      number_of_subkeys: 2,
    }),
    sco('x509-certificate', {
      issuer: 'C=ZA, ST=Western Cape, L=Cape Town, O=Thawte Consulting cc',
      serial_number: '02:08:87:83:f2:13:58:1f:79:52:1e:66:90:0a:02:24:c9:6b:c7:dc',
      validity_not_before: '2016-03-12T12:00:00Z',
      subject_public_key_exponent: 65537,
      x509_v3_extensions: {
        basic_constraints: 'critical,CA:TRUE',
        private_key_usage_period_not_before: '2016-03-12T12:00:00Z',
      },
    }),
    sdo('grouping', 1, {
      name: 'g',
      context: 'suspicious-activity',
      object_refs: ['indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'],
    }),
    sdo('incident', 2, { name: 'Incident 1', description: 'd' }),
    sdo('location', 3, {
      latitude: 48.8566,
      longitude: 2.3522,
      precision: 100,
      country: 'fr',
      region: 'western-europe',
    }),
    sdo('location', 4, { region: 'northern-america' }),
    sdo('malware-analysis', 5, {
      product: 'microsoft',
      analysis_engine_version: '5.1.0',
      result: 'malicious',
      sample_ref: 'file--5f4a1d2c-0b1e-4c3d-9e2f-7a6b5c4d3e2f',
      installed_software_refs: ['software--5f4a1d2c-0b1e-4c3d-9e2f-7a6b5c4d3e2f'],
      submitted: '2024-01-01T00:00:00Z',
    }),
    sdo('note', 6, {
      abstract: 'Tracking Team Note#1',
      content: 'This note indicates the various steps taken',
      authors: ['John Doe'],
      object_refs: ['campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'],
    }),
    sdo('opinion', 7, {
      opinion: 'strongly-disagree',
      explanation: 'x',
      object_refs: ['relationship--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'],
    }),
    sdo('observed-data', 8, {
      first_observed: '2024-01-01T00:00:00Z',
      last_observed: '2024-01-02T00:00:00Z',
      number_observed: 50,
      objects: {
        '0': { type: 'file', id: 'file--5f4a1d2c-0b1e-4c3d-9e2f-7a6b5c4d3e2f', name: 'foo.exe' },
        '1': { type: 'x-custom-thing', id: 'x-custom-thing--5f4a1d2c-0b1e-4c3d-9e2f-7a6b5c4d3e2f' },
      },
    }),
    sdo('sighting', 9, {
      sighting_of_ref: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      where_sighted_refs: ['identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'],
      observed_data_refs: ['observed-data--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'],
      count: 3,
      first_seen: '2024-01-01T00:00:00Z',
    }),
    sdo('language-content', 10, {
      object_ref: 'campaign--12a111f0-b824-4baf-a224-83b80237a094',
      object_modified: '2017-02-08T21:31:22.007Z',
      contents: { de: { name: 'Bank Angriff 1', description: 'Weitere Informationen' } },
    }),
    sdo('extension-definition', 11, {
      name: 'New SDO 1',
      schema: 'https://www.example.com/schema-newsdo-1/v1/',
      version: '1.2.1',
      extension_types: ['new-sdo', 'toplevel-property-extension'],
      extension_properties: ['toxicity'],
      created_by_ref: 'identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    }),
    sdo('attack-pattern', 12, {
      name: 'Spear Phishing',
      granular_markings: [
        { selectors: ['name'], marking_ref: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da' },
      ],
      extensions: {
        'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e': {
          extension_type: 'property-extension',
          rank: 5,
        },
      },
      external_references: [
        {
          source_name: 'capec',
          external_id: 'CAPEC-163',
          hashes: { 'SHA-256': '6db12788c37247f2316052e142f42f4b259d6561751e5f401a1ae2a6df9c674b' },
        },
      ],
    }),
    ...tlpMarkingDefinitions(),
  ];
}
