// enableShareAppMessage: the page can be sent to a WeChat group (its share card says what was decided).
export default definePageConfig({ navigationBarTitleText: '会议', enableShareAppMessage: true })
