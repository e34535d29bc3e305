export default definePageConfig({ navigationBarTitleText: '到会名单' })
