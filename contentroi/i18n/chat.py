"""Texts of posting the digest to the team's chat (contentroi/webhooks.py, the Digest page)."""

TEXT = {
    "chat_full_report": ("Full report", "查看完整报告"),
    "chat_truncated": ("… (shortened to fit the chat's size limit)", "……（超出群消息长度限制，已截断）"),
    "chat_post": ("Post to chat", "发送到群聊"),
    "chat_post_help": ("Posts this digest to the team's chat webhook configured in [digest] (WeCom, DingTalk, "
                       "Feishu or a JSON webhook).",
                       "将本期日报/周报发送到 [digest] 中配置的群机器人（企业微信、钉钉、飞书或 JSON webhook）。"),
    "chat_not_configured": ("No chat webhook is configured: set `webhook` in the `[digest]` section of "
                            "`.streamlit/secrets.toml` or `CONTENTROI_WEBHOOK` (docs/DIGEST.md).",
                            "尚未配置群机器人：请在 `.streamlit/secrets.toml` 的 `[digest]` 中设置 `webhook`，"
                            "或设置环境变量 `CONTENTROI_WEBHOOK`（见 docs/DIGEST.md）。"),
    "chat_posted": ("Posted to the {platform} chat.", "已发送到{platform}群聊。"),
    "chat_failed": ("Not posted: {error}", "发送失败：{error}"),
    "chat_platform_wecom": ("WeCom", "企业微信"),
    "chat_platform_dingtalk": ("DingTalk", "钉钉"),
    "chat_platform_feishu": ("Feishu", "飞书"),
    "chat_platform_generic": ("webhook", "Webhook"),
}
