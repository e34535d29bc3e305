export default definePageConfig({ navigationBarTitleText: '对外接口密钥' })
