// The strings of 到期提醒通知 (the settings switch), in the three languages of i18n.ts. They load with the
// settings screen, not with the first screen; the language is i18n.ts's. The notifications themselves
// (title, text, time) are the core's plan, shown as it is.
import { getLang, type Lang } from '../i18n';

const zhCN = {
  notifyTitle: '到期提醒通知',
  notifyHint: '打开应用时提醒：到了提醒时间，下次打开或切回本应用时弹出通知。网页不能后台推送，不打开应用就不会提醒。',
  notifyOff: '未开启。开启时浏览器会询问是否允许本网站发送通知。',
  notifyOn: '已开启。到了提醒时间，打开或切回本应用时弹出通知，每次最多 {n} 条，其余请看首页的“今日待办”。',
  notifyNext: '下一条提醒：{when}　{title}',
  notifyNothing: '近期没有需要提醒的事项。',
  notifyMissing: '这个浏览器不支持网页通知（微信等 App 内置浏览器、iPhone 上未添加到主屏幕的 Safari 大多如此），这里无法开启提醒。可以把截止日期导入手机日历，由日历按时提醒。',
  notifyDenied: '本网站的通知权限已被拒绝，无法开启提醒。如需开启，请在浏览器的网站设置中允许通知；也可以把截止日期导入手机日历，由日历按时提醒。',
  notifyDismissed: '没有获得通知权限，提醒未开启。可以再点一次开关重试，或把截止日期导入手机日历。',
  notifyUnkept: '这个浏览器不允许本网站保存设置（存储不可用），无法开启提醒。可以把截止日期导入手机日历，由日历按时提醒。',
  notifyClosed: '已关闭，不再弹出通知。',
  notifyIcs: '去“档案”下载日历文件（.ics）',
  notifyIcsNoCompany: '先在“档案”中添加企业，再导出日历',
};

type Strings = typeof zhCN;

const zhTW: Strings = {
  notifyTitle: '到期提醒通知',
  notifyHint: '開啟應用時提醒：到了提醒時間，下次開啟或切回本應用時彈出通知。網頁不能背景推播，不開啟應用就不會提醒。',
  notifyOff: '未開啟。開啟時瀏覽器會詢問是否允許本網站發送通知。',
  notifyOn: '已開啟。到了提醒時間，開啟或切回本應用時彈出通知，每次最多 {n} 則，其餘請看首頁的「今日待辦」。',
  notifyNext: '下一則提醒：{when}　{title}',
  notifyNothing: '近期沒有需要提醒的事項。',
  notifyMissing: '這個瀏覽器不支援網頁通知（微信等 App 內建瀏覽器、iPhone 上未加入主畫面的 Safari 大多如此），這裡無法開啟提醒。可以把截止日期匯入手機行事曆，由行事曆按時提醒。',
  notifyDenied: '本網站的通知權限已被拒絕，無法開啟提醒。如需開啟，請在瀏覽器的網站設定中允許通知；也可以把截止日期匯入手機行事曆，由行事曆按時提醒。',
  notifyDismissed: '沒有取得通知權限，提醒未開啟。可以再點一次開關重試，或把截止日期匯入手機行事曆。',
  notifyUnkept: '這個瀏覽器不允許本網站儲存設定（儲存空間不可用），無法開啟提醒。可以把截止日期匯入手機行事曆，由行事曆按時提醒。',
  notifyClosed: '已關閉，不再彈出通知。',
  notifyIcs: '去「檔案」下載日曆檔案（.ics）',
  notifyIcsNoCompany: '先在「檔案」中新增企業，再匯出行事曆',
};

const en: Strings = {
  notifyTitle: 'Due-date notifications',
  notifyHint: 'Reminds you when you open the app: once a reminder’s time has come, it pops up the next time you open or return to the app. A web page cannot push in the background, so nothing is shown while the app is closed.',
  notifyOff: 'Off. Turning it on, the browser asks whether this site may send notifications.',
  notifyOn: 'On. Once a reminder’s time has come, it pops up when you open or return to the app, at most {n} at a time; the rest are under “Today” on the home screen.',
  notifyNext: 'Next reminder: {when}  {title}',
  notifyNothing: 'Nothing to remind you of soon.',
  notifyMissing: 'This browser has no web notifications (most in-app browsers such as WeChat’s, and Safari on iPhone unless the app is added to the home screen), so reminders cannot be turned on here. Import the deadlines into your phone’s calendar instead and let it remind you.',
  notifyDenied: 'Notifications for this site have been blocked, so reminders cannot be turned on. To allow them, change this site’s settings in your browser; or import the deadlines into your phone’s calendar and let it remind you.',
  notifyDismissed: 'Notifications were not allowed, so reminders are off. Tap the switch again to retry, or import the deadlines into your phone’s calendar.',
  notifyUnkept: 'This browser does not let this site keep settings (storage unavailable), so reminders cannot be turned on. Import the deadlines into your phone’s calendar instead and let it remind you.',
  notifyClosed: 'Off: no more notifications.',
  notifyIcs: 'Get the calendar file (.ics) under Dossier',
  notifyIcsNoCompany: 'Add a company under Dossier first, then export its calendar',
};

export type NKey = keyof Strings;
const tables: Record<Lang, Strings> = { 'zh-CN': zhCN, 'zh-TW': zhTW, en };

/** `t` of i18n.ts for the notification switch's strings. */
export function nt(key: NKey, params: Record<string, string | number> = {}): string {
  return tables[getLang()][key].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}
