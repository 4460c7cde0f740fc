import type zhCN from './zh-CN';

// English: the second catalogue. Typed against zh-CN, so a missing or an extra key
// fails the type check.
const en: Record<keyof typeof zhCN, string> = {
  app_name: 'Warm-New Stations',
  app_tagline: 'Rest stops for delivery riders and couriers',

  lang_label: 'Language',
  lang_zh_CN: '中文',
  lang_en: 'English',

  offline_banner: 'Offline mode — showing cached data',
  update_available: 'A new version is available',
  update_reload: 'Reload',
  update_later: 'Later',
  offline_ready: 'Ready to work offline',
  close: 'Close',
  loading: 'Loading…',

  login_title: 'Log in',
  login_phone: 'Mobile number',
  login_password: 'Password',
  login_submit: 'Log in',
  login_submitting: 'Logging in…',
  login_no_account: 'No account yet?',
  login_goto_register: 'Create an account',
  login_account_deleted: 'Your account and its data have been deleted.',
  login_session_expired: 'Your session has expired. Please log in again.',

  register_title: 'Create account',
  register_display_name: 'Display name',
  register_password_hint: 'At least 8 characters, not a common password',
  register_submit: 'Create account',
  register_submitting: 'Creating account…',
  register_have_account: 'Already have an account?',
  register_goto_login: 'Log in',

  phone_placeholder: '11-digit mobile number',
  show_password: 'Show password',

  validation_phone: 'Enter a valid 11-digit mobile number',
  validation_password_length: 'The password needs at least 8 characters',
  validation_display_name: 'The display name needs 1–40 characters',
  validation_required: 'Required',

  problem_invalid_credentials: 'Wrong mobile number or password',
  problem_phone_taken: 'This number is already registered. Please log in.',
  problem_rate_limited: 'Too many attempts. Please try again later.',
  problem_rate_limited_seconds: 'Too many attempts. Please try again in {{seconds}} s.',
  problem_validation_failed: 'Please check the highlighted fields',
  problem_unauthorized: 'Your session has expired. Please log in again.',
  problem_not_found: 'Nothing found',
  problem_network: 'No network. Check your connection and try again.',
  problem_unknown: 'Something went wrong. Please try again later.',

  field_invalid_phone: 'Enter a valid 11-digit mobile number',
  field_too_short: 'Too short',
  field_too_long: 'Too long',
  field_required: 'Required',
  field_too_common: 'This password is too common; choose another',
  field_password_too_short: 'The password needs at least 8 characters',
  field_phone_taken: 'This number is already registered',
  field_display_name_too_long: 'The display name can have at most 40 characters',
  field_password_too_long: 'The password can have at most 128 characters',
  field_invalid_characters: 'Contains characters that are not allowed',

  nav_label: 'Main navigation',
  nav_stations: 'Stations',
  nav_help: 'Help',
  nav_lessons: 'Lessons',
  nav_me: 'Me',

  coming_later: 'Coming in a later release',

  stations_title: 'Nearby stations',
  stations_soon: 'Nearby station search is coming soon',
  stations_soon_detail:
    'A later release will list the closest open stations here, with drinking water, charging, microwaves, toilets, rest areas and more.',
  help_title: 'Help',
  help_soon: 'Help requests are coming soon',
  help_soon_detail:
    'A later release will let you ask for help here (unpaid wages, traffic accidents, disputes…) and follow it to the end. In an emergency call 110 or 120.',
  lessons_title: 'Lessons',
  lessons_soon: 'Lessons are coming soon',
  lessons_soon_detail:
    'A later release will offer 3–5 minute lessons on safety, health and your rights, with points for passing.',

  me_title: 'Me',
  profile_display_name: 'Display name',
  profile_phone: 'Mobile number',
  profile_role: 'Role',
  profile_region: 'Region',
  profile_since: 'Member since',
  profile_edit: 'Edit',
  profile_save: 'Save',
  profile_saving: 'Saving…',
  profile_cancel: 'Cancel',
  profile_saved: 'Saved',
  profile_language_saving: 'Saving language…',

  role_rider: 'Rider',
  role_operator: 'Station operator',
  role_staff: 'Social work department staff',
  role_admin: 'Administrator',

  export_data: 'Export my data',
  exporting: 'Exporting…',
  export_done: 'Data file downloaded',

  logout: 'Log out',
  logging_out: 'Logging out…',

  delete_account: 'Delete account',
  delete_confirm_title: 'Delete your account?',
  delete_confirm_body: 'Your account and its data will be deleted for good. This cannot be undone.',
  delete_confirm: 'Delete for good',
  deleting: 'Deleting…',
  cancel: 'Cancel',

  operator_title: 'Station management',
  operator_status: 'Station status',
  operator_status_soon: 'Keeping status, occupancy and opening hours up to date comes in a later release.',
  operator_log: 'Service log',
  operator_log_soon: 'One-tap service logging (offline too) comes in a later release.',
  operator_queue: 'Help queue',
  operator_queue_soon: 'Help requests routed to this station will appear here in a later release.',

  staff_title: 'Dashboard',
  staff_usage: 'Station usage',
  staff_usage_soon: 'Usage and service statistics for your region come in a later release.',
  staff_help: 'Help request handling',
  staff_help_soon: 'Response, resolution and satisfaction rates and SLA breaches come in a later release.',
  staff_coverage: 'Coverage blank spots',
  staff_coverage_soon: '15-minute service circle coverage and blank spots come in a later release.',

  admin_title: 'Administration',
  admin_stations: 'Stations',
  admin_stations_soon: 'Adding, importing and maintaining stations comes in a later release.',
  admin_users: 'Users and roles',
  admin_users_soon: 'Managing users, roles and regions comes in a later release.',
  admin_content: 'Lessons and rewards',
  admin_content_soon: 'Managing lessons and point rewards comes in a later release.',
};

export default en;
