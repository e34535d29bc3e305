export default definePageConfig({ navigationBarTitleText: '随手拍' })
