/**
 * The predefined SCO extensions of STIX 2.1 section 6 (file, network-traffic, process,
 * user-account), mirroring the `*-extensions-dictionary` definitions of the OASIS observable schemas.
 * Each is combined with the core `extensions` rule, as the OASIS `allOf` does.
 */
import { DICTIONARY, EXTENSIONS, Hashes, Hex, rule, Timestamp } from './common.js';

const anyRequired = (...names: string[]) => ({ anyOf: names.map((n) => ({ required: [n] })) });
const HEX = Hex;
const HASHES = Hashes;
const INT_MIN0 = { type: 'integer', minimum: 0 };

const extensionsOf = (patternProperties: Record<string, unknown>) => ({
  allOf: [
    EXTENSIONS,
    { allOf: [DICTIONARY], patternProperties, additionalProperties: DICTIONARY, ...rule('stix.extension') },
  ],
});

const PE_OPTIONAL_HEADER = {
  type: 'object',
  minProperties: 1,
  additionalProperties: false,
  properties: {
    magic_hex: HEX,
    major_linker_version: { type: 'integer' },
    minor_linker_version: { type: 'integer' },
    size_of_code: INT_MIN0,
    size_of_initialized_data: INT_MIN0,
    size_of_uninitialized_data: INT_MIN0,
    address_of_entry_point: { type: 'integer' },
    base_of_code: { type: 'integer' },
    base_of_data: { type: 'integer' },
    image_base: { type: 'integer' },
    section_alignment: { type: 'integer' },
    file_alignment: { type: 'integer' },
    major_os_version: { type: 'integer' },
    minor_os_version: { type: 'integer' },
    major_image_version: { type: 'integer' },
    minor_image_version: { type: 'integer' },
    major_subsystem_version: { type: 'integer' },
    minor_subsystem_version: { type: 'integer' },
    win32_version_value_hex: HEX,
    size_of_image: INT_MIN0,
    size_of_headers: INT_MIN0,
    checksum_hex: HEX,
    subsystem_hex: HEX,
    dll_characteristics_hex: HEX,
    size_of_stack_reserve: INT_MIN0,
    size_of_stack_commit: INT_MIN0,
    size_of_heap_reserve: INT_MIN0,
    size_of_heap_commit: INT_MIN0,
    loader_flags_hex: HEX,
    number_of_rva_and_sizes: { type: 'integer' },
    hashes: HASHES,
  },
};

/** Section 6.7.2 to 6.7.6. */
export const FILE_EXTENSIONS = extensionsOf({
  '^ntfs-ext$': {
    type: 'object',
    properties: {
      sid: { type: 'string' },
      alternate_data_streams: {
        type: 'array',
        items: {
          properties: { name: { type: 'string' }, hashes: HASHES, size: INT_MIN0 },
          required: ['name'],
        },
      },
    },
    ...anyRequired('sid', 'alternate_data_streams'),
  },
  '^raster-image-ext$': {
    type: 'object',
    properties: {
      image_height: { type: 'integer' },
      image_width: { type: 'integer' },
      bits_per_pixel: { type: 'integer' },
      exif_tags: {
        allOf: [DICTIONARY],
        patternProperties: { '^[A-Z][a-zA-Z0-9_-]+$': { oneOf: [{ type: 'string' }, { type: 'integer' }] } },
        additionalProperties: false,
      },
    },
    ...anyRequired(
      'image_height',
      'image_width',
      'bits_per_pixel',
      'image_compression_algorithm',
      'exif_tags',
    ),
  },
  '^pdf-ext$': {
    type: 'object',
    properties: {
      version: { type: 'string' },
      is_optimized: { type: 'boolean' },
      document_info_dict: {
        allOf: [DICTIONARY],
        patternProperties: { '^[a-zA-Z0-9_-]{0,250}$': { type: 'string' } },
      },
      pdfid0: { type: 'string' },
      pdfid1: { type: 'string' },
    },
    ...anyRequired('version', 'is_optimized', 'document_info_dict', 'pdfid0', 'pdfid1'),
  },
  '^archive-ext$': {
    type: 'object',
    properties: {
      contains_refs: { type: 'array', items: { type: 'string' }, minItems: 1 },
      comment: { type: 'string' },
    },
    required: ['contains_refs'],
  },
  '^windows-pebinary-ext$': {
    type: 'object',
    properties: {
      pe_type: { type: 'string' },
      imphash: { type: 'string' },
      machine_hex: HEX,
      number_of_sections: INT_MIN0,
      time_date_stamp: { type: 'string', allOf: [Timestamp, { pattern: 'T\\d{2}:\\d{2}:\\d{2}Z$' }] },
      pointer_to_symbol_table_hex: HEX,
      number_of_symbols: INT_MIN0,
      size_of_optional_header: INT_MIN0,
      characteristics_hex: HEX,
      file_header_hashes: HASHES,
      optional_header: PE_OPTIONAL_HEADER,
      sections: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            size: INT_MIN0,
            entropy: { type: 'number' },
            hashes: HASHES,
          },
          required: ['name'],
        },
      },
    },
    required: ['pe_type'],
    ...anyRequired(
      'imphash',
      'machine_hex',
      'number_of_sections',
      'time_date_stamp',
      'pointer_to_symbol_table_hex',
      'number_of_symbols',
      'size_of_optional_header',
      'characteristics_hex',
      'file_header_hashes',
      'optional_header',
      'sections',
    ),
  },
});

/** Section 6.12.2 to 6.12.5. */
export const NETWORK_TRAFFIC_EXTENSIONS = extensionsOf({
  '^http-request-ext$': {
    type: 'object',
    properties: {
      request_method: { type: 'string' },
      request_value: { type: 'string' },
      request_version: { type: 'string' },
      request_header: {
        allOf: [DICTIONARY],
        patternProperties: { '^.+$': { type: 'array', items: { type: 'string' } } },
        additionalProperties: false,
      },
      message_body_length: { type: 'integer' },
      message_body_data_ref: { type: 'string' },
    },
    required: ['request_method', 'request_value'],
  },
  '^icmp-ext$': {
    type: 'object',
    properties: { icmp_type_hex: HEX, icmp_code_hex: HEX },
    required: ['icmp_type_hex', 'icmp_code_hex'],
  },
  '^socket-ext$': {
    type: 'object',
    properties: {
      address_family: {
        type: 'string',
        enum: [
          'AF_UNSPEC',
          'AF_INET',
          'AF_IPX',
          'AF_APPLETALK',
          'AF_NETBIOS',
          'AF_INET6',
          'AF_IRDA',
          'AF_BTH',
        ],
      },
      is_blocking: { type: 'boolean' },
      is_listening: { type: 'boolean' },
      options: {
        allOf: [DICTIONARY],
        patternProperties: { '^(SO|ICMP|ICMP6|IP|IPV6|MCAST|TCP|IRLMP)(_[A-Z]+)+$': { type: 'integer' } },
        additionalProperties: false,
      },
      socket_type: {
        type: 'string',
        enum: ['SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_RAW', 'SOCK_RDM', 'SOCK_SEQPACKET'],
      },
      socket_descriptor: INT_MIN0,
      socket_handle: { type: 'integer' },
    },
    required: ['address_family'],
  },
  '^tcp-ext$': {
    type: 'object',
    properties: { src_flags_hex: HEX, dst_flags_hex: HEX },
    ...anyRequired('src_flags_hex', 'dst_flags_hex'),
  },
});

const STARTUP_INFO = {
  allOf: [DICTIONARY],
  patternProperties: {
    '^lpDesktop|lpTitle|dwFillAttribute|dwFlags|wShowWindow|hStdInput|hStdOutput|hStdError$': {
      type: 'string',
    },
    '^lpReserved|lpReserved2$': { type: 'null' },
    '^cb|dwX|dwY|dwXSize|dwYSize|dwXCountChars|dwYCountChars$': { type: 'integer' },
    '^cbReserved2$': { type: 'integer', minimum: 0, maximum: 0 },
  },
  additionalProperties: false,
};

/** Section 6.13.2 and 6.13.3. */
export const PROCESS_EXTENSIONS = extensionsOf({
  '^windows-process-ext$': {
    type: 'object',
    properties: {
      aslr_enabled: { type: 'boolean' },
      dep_enabled: { type: 'boolean' },
      priority: { type: 'string' },
      owner_sid: { type: 'string' },
      window_title: { type: 'string' },
      startup_info: STARTUP_INFO,
      integrity_level: { type: 'string', enum: ['low', 'medium', 'high', 'system'] },
    },
    ...anyRequired('aslr_enabled', 'dep_enabled', 'priority', 'owner_sid', 'window_title', 'startup_info'),
  },
  '^windows-service-ext$': {
    type: 'object',
    properties: {
      service_name: { type: 'string' },
      descriptions: { type: 'array', items: { type: 'string' }, minItems: 1 },
      display_name: { type: 'string' },
      group_name: { type: 'string' },
      start_type: {
        type: 'string',
        enum: [
          'SERVICE_AUTO_START',
          'SERVICE_BOOT_START',
          'SERVICE_DEMAND_START',
          'SERVICE_DISABLED',
          'SERVICE_SYSTEM_ALERT',
        ],
      },
      service_dll_refs: { type: 'array', items: { type: 'string' }, minItems: 1 },
      service_type: {
        type: 'string',
        enum: [
          'SERVICE_KERNEL_DRIVER',
          'SERVICE_FILE_SYSTEM_DRIVER',
          'SERVICE_WIN32_OWN_PROCESS',
          'SERVICE_WIN32_SHARE_PROCESS',
        ],
      },
      service_status: {
        type: 'string',
        enum: [
          'SERVICE_CONTINUE_PENDING',
          'SERVICE_PAUSE_PENDING',
          'SERVICE_PAUSED',
          'SERVICE_RUNNING',
          'SERVICE_START_PENDING',
          'SERVICE_STOP_PENDING',
          'SERVICE_STOPPED',
        ],
      },
    },
    ...anyRequired(
      'service_name',
      'descriptions',
      'display_name',
      'group_name',
      'start_type',
      'service_dll_refs',
      'service_type',
      'service_status',
    ),
  },
});

/** Section 6.16.2. */
export const USER_ACCOUNT_EXTENSIONS = extensionsOf({
  '^unix-account-ext$': {
    type: 'object',
    properties: {
      gid: { type: 'number' },
      groups: { type: 'array', items: { type: 'string' }, minItems: 1 },
      home_dir: { type: 'string' },
      shell: { type: 'string' },
    },
    ...anyRequired('gid', 'groups', 'home_dir', 'shell'),
  },
});
