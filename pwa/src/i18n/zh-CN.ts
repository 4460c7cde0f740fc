// Simplified Chinese: the default catalogue. Every key here must exist in en.ts and
// the other way round (checked by the type of en.ts and by i18n.test.ts).
// Placeholders use {{name}}.
const zhCN = {
  app_name: '暖新驿站',
  app_tagline: '骑手、快递小哥的暖心补给站',

  lang_label: '语言',
  lang_zh_CN: '中文',
  lang_en: 'English',

  offline_banner: '离线模式 — 显示的是缓存数据',
  update_available: '有新版本可用',
  update_reload: '刷新',
  update_later: '稍后',
  offline_ready: '已可离线使用',
  close: '关闭',
  loading: '加载中…',

  login_title: '登录',
  login_phone: '手机号',
  login_password: '密码',
  login_submit: '登录',
  login_submitting: '正在登录…',
  login_no_account: '还没有账号？',
  login_goto_register: '注册新账号',
  login_account_deleted: '账号已注销，相关数据已删除。',
  login_session_expired: '登录已过期，请重新登录。',

  register_title: '注册',
  register_display_name: '昵称',
  register_password_hint: '至少 8 位，不要使用常见密码',
  register_submit: '注册',
  register_submitting: '正在注册…',
  register_have_account: '已有账号？',
  register_goto_login: '去登录',

  phone_placeholder: '11 位手机号',
  show_password: '显示密码',

  validation_phone: '请输入正确的 11 位手机号',
  validation_password_length: '密码至少 8 位',
  validation_display_name: '昵称需为 1–40 个字',
  validation_required: '此项必填',

  problem_invalid_credentials: '手机号或密码错误',
  problem_phone_taken: '该手机号已注册，请直接登录',
  problem_rate_limited: '尝试次数过多，请稍后再试',
  problem_rate_limited_seconds: '尝试次数过多，请 {{seconds}} 秒后再试',
  problem_validation_failed: '请检查填写的内容',
  problem_unauthorized: '登录已过期，请重新登录',
  problem_not_found: '没有找到相关内容',
  problem_network: '网络不可用，请检查网络后重试',
  problem_unknown: '出错了，请稍后再试',

  field_invalid_phone: '请输入正确的 11 位手机号',
  field_too_short: '太短了',
  field_too_long: '太长了',
  field_required: '此项必填',
  field_too_common: '这个密码太常见，请换一个',
  field_password_too_short: '密码至少 8 位',
  field_phone_taken: '该手机号已注册',
  field_display_name_too_long: '昵称最多 40 个字',
  field_password_too_long: '密码最多 128 位',
  field_invalid_characters: '含有不允许的字符',

  nav_label: '主导航',
  nav_stations: '驿站',
  nav_help: '求助',
  nav_lessons: '微课堂',
  nav_me: '我的',

  coming_later: '后续版本上线',

  stations_title: '附近驿站',
  stations_soon: '附近驿站查询即将上线',
  stations_soon_detail:
    '之后的版本会在这里列出离你最近、正在营业的驿站，以及饮水、充电、微波炉、卫生间、休息等服务。',
  help_title: '求助',
  help_soon: '在线求助即将上线',
  help_soon_detail:
    '之后的版本可以在这里提交诉求（欠薪、交通事故、纠纷等）并跟踪办理进度。遇到紧急情况请直接拨打 110 或 120。',
  lessons_title: '微课堂',
  lessons_soon: '微课堂即将上线',
  lessons_soon_detail: '之后的版本会提供 3–5 分钟的安全、健康和权益小课程，学完可得积分。',

  me_title: '我的',
  profile_display_name: '昵称',
  profile_phone: '手机号',
  profile_role: '身份',
  profile_region: '辖区',
  profile_since: '注册时间',
  profile_edit: '修改',
  profile_save: '保存',
  profile_saving: '正在保存…',
  profile_cancel: '取消',
  profile_saved: '已保存',
  profile_language_saving: '正在保存语言设置…',

  role_rider: '骑手',
  role_operator: '驿站管理员',
  role_staff: '社会工作部门工作人员',
  role_admin: '系统管理员',

  export_data: '导出我的数据',
  exporting: '正在导出…',
  export_done: '已下载数据文件',

  logout: '退出登录',
  logging_out: '正在退出…',

  delete_account: '注销账号',
  delete_confirm_title: '确定注销账号吗？',
  delete_confirm_body: '账号和相关数据将被永久删除，无法恢复。',
  delete_confirm: '确认注销',
  deleting: '正在注销…',
  cancel: '取消',

  operator_title: '驿站管理',
  operator_status: '驿站状态',
  operator_status_soon: '营业状态、在站人数和营业时间的维护将在后续版本上线。',
  operator_log: '服务记录',
  operator_log_soon: '一键登记服务（离线也能记）将在后续版本上线。',
  operator_queue: '求助队列',
  operator_queue_soon: '分派到本驿站的求助将在后续版本显示在这里。',

  staff_title: '数据看板',
  staff_usage: '驿站使用情况',
  staff_usage_soon: '辖区内驿站的使用量和服务记录统计将在后续版本上线。',
  staff_help: '诉求办理',
  staff_help_soon: '响应率、解决率、满意率和超时情况将在后续版本上线。',
  staff_coverage: '覆盖空白点',
  staff_coverage_soon: '15 分钟服务圈覆盖分析和空白点将在后续版本上线。',

  admin_title: '系统管理',
  admin_stations: '驿站管理',
  admin_stations_soon: '驿站的新增、导入和维护将在后续版本上线。',
  admin_users: '用户与角色',
  admin_users_soon: '用户、角色和辖区的管理将在后续版本上线。',
  admin_content: '课程与奖励',
  admin_content_soon: '微课堂课程和积分奖励的管理将在后续版本上线。',
} as const satisfies Record<string, string>;

export default zhCN;
