// Open to anyone: the village board's QR code and the WeChat share card land here without signing in.
export default definePageConfig({ navigationBarTitleText: '表决结果公示', enableShareAppMessage: true })
